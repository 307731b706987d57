"""Let coordinators issue, revoke and correct certificates and edit their template.

Roles are no longer data of a migration: courses/roles.py declares them and
`roles_sync` (after every `migrate`, and `manage.py sync_roles`) keeps the groups as
declared. This migration stays, empty, so that databases that ran it migrate cleanly.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = []
