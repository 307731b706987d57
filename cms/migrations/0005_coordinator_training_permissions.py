"""Let coordinators run enrolment in the admin: projects, editions, trainees, enrolments.

Roles are no longer data of a migration: courses/roles.py declares them and
`roles_sync` (after every `migrate`, and `manage.py sync_roles`) keeps the groups as
declared. This migration stays, empty, so that databases that ran it migrate cleanly.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_coursepage_course"),
        ("courses", "0003_voivodeships"),
    ]

    operations = []
