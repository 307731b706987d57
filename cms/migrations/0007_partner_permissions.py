"""Coordinators manage partner organisations, read the export log and import in bulk."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    # Partners' staff export through a page that checks their organisation's scope.
    "Koordynator": [
        "add_partnerorganisation",
        "change_partnerorganisation",
        "delete_partnerorganisation",
        "view_partnerorganisation",
        "view_exportlog",
        "add_enrolment",
    ],
}


def _permissions(apps, codenames):
    # Permissions are normally created after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label="courses", codename__in=codenames
    )
    missing = set(codenames) - set(found.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"Permissions not found: {sorted(missing)}")
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_attendance_permissions"),
        ("courses", "0005_partners"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
