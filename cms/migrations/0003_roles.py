"""Created the four roles as groups with their Wagtail admin permissions.

Roles are no longer data of a migration: courses/roles.py declares them and
`roles_sync` (after every `migrate`, and `manage.py sync_roles`) keeps the groups as
declared. This migration stays, empty, so that databases that ran it migrate cleanly.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_initial"),
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = []
