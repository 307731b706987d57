"""Let coordinators run enrolment in the admin: projects, editions, trainees, enrolments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGED = [
    "project",
    "quota",
    "eligibilityrule",
    "course",
    "edition",
    "session",
    "institution",
    "traineeprofile",
]
COORDINATOR_PERMISSIONS = [
    *(
        f"{action}_{model}"
        for model in MANAGED
        for action in ("add", "change", "delete", "view")
    ),
    # Enrolments change only through the actions, which call the services.
    "view_enrolment",
    "change_enrolment",
    "view_voivodeship",
]


def _permissions(apps):
    # Permissions are normally created after all migrations; the group needs them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label="courses", codename__in=COORDINATOR_PERMISSIONS
    )
    missing = set(COORDINATOR_PERMISSIONS) - set(
        found.values_list("codename", flat=True)
    )
    if missing:
        raise LookupError(f"Permissions not found: {sorted(missing)}")
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Koordynator")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Koordynator").first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_coursepage_course"),
        ("courses", "0003_voivodeships"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
