"""Trainers upload only to the collections of the courses they teach.

The role "Trener" held document and image rights on the root collection, which covers
every collection; each course's own group ("Trenerzy: <course>", kept by
cms.services.course_access_sync) now gives those rights on that course's collection.
"""

from django.db import migrations

TRAINER = "Trener"
ROOT_RIGHTS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def _root_permissions(apps):
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Collection = apps.get_model("wagtailcore", "Collection")
    rows = GroupCollectionPermission.objects.filter(
        group__name=TRAINER, collection=Collection.objects.filter(depth=1).first()
    )
    return rows, Collection


def revoke(apps, schema_editor):
    rows, _ = _root_permissions(apps)
    for app_label, codename in ROOT_RIGHTS:
        rows.filter(
            permission__content_type__app_label=app_label,
            permission__codename=codename,
        ).delete()


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    _, Collection = _root_permissions(apps)
    group = Group.objects.filter(name=TRAINER).first()
    root = Collection.objects.filter(depth=1).first()
    if group is None or root is None:
        return
    for app_label, codename in ROOT_RIGHTS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("cms", "0008_course_materials")]

    operations = [migrations.RunPython(revoke, grant)]
