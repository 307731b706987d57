"""Coordinators manage partner organisations, read the export log and import in bulk.

Roles are no longer data of a migration: courses/roles.py declares them and
`roles_sync` (after every `migrate`, and `manage.py sync_roles`) keeps the groups as
declared. This migration stays, empty, so that databases that ran it migrate cleanly.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_attendance_permissions"),
        ("courses", "0005_partners"),
    ]

    operations = []
