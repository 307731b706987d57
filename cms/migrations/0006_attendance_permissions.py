"""Attendance: trainers see their groups' lists; coordinators manage every edition.

Roles are no longer data of a migration: courses/roles.py declares them and
`roles_sync` (after every `migrate`, and `manage.py sync_roles`) keeps the groups as
declared. This migration stays, empty, so that databases that ran it migrate cleanly.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_coordinator_training_permissions"),
        ("courses", "0004_attendance"),
    ]

    operations = []
