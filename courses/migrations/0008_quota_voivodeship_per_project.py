"""A voivodeship belongs to at most one quota of a project, as the database sees it.

The quota-voivodeship table stays where it is; it becomes the QuotaVoivodeship model
(state only) and gains the project column the unique constraint needs. Where a
voivodeship was in two quotas of one project, the quota with the lowest id counted
it (eligibility picked the first by id); the other memberships never counted anyone
and are removed, so the constraint can hold.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_project(apps, schema_editor):
    QuotaVoivodeship = apps.get_model("courses", "QuotaVoivodeship")
    rows = QuotaVoivodeship.objects.select_related("quota").order_by("quota_id", "pk")
    seen = set()
    for row in rows:
        key = (row.quota.project_id, row.voivodeship_id)
        if key in seen:
            row.delete()
            continue
        seen.add(key)
        row.project_id = row.quota.project_id
        row.save(update_fields=["project"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_project_funding"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QuotaVoivodeship",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "quota",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="voivodeship_rows",
                                to="courses.quota",
                            ),
                        ),
                        (
                            "voivodeship",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="courses.voivodeship",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "voivodeship of a quota",
                        "verbose_name_plural": "voivodeships of quotas",
                        "db_table": "courses_quota_voivodeships",
                        "unique_together": {("quota", "voivodeship")},
                    },
                ),
                migrations.AlterField(
                    model_name="quota",
                    name="voivodeships",
                    field=models.ManyToManyField(
                        related_name="quotas",
                        through="courses.QuotaVoivodeship",
                        to="courses.voivodeship",
                        verbose_name="voivodeships",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="quotavoivodeship",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.project",
            ),
        ),
        migrations.RunPython(fill_project, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="quotavoivodeship",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.project",
            ),
        ),
        migrations.AddConstraint(
            model_name="quotavoivodeship",
            constraint=models.UniqueConstraint(
                fields=("project", "voivodeship"),
                name="one_quota_per_voivodeship_in_project",
            ),
        ),
    ]
