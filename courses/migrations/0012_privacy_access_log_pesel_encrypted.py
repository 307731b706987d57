"""The access log; PESEL numbers encrypted at rest, unique and looked up by keyed hash.

Existing numbers are encrypted in place: the column first becomes plain text (room
for a token), the rows are rewritten with the token and the hash, then the column
takes the encrypting field (no schema change).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import courses.models.fields
import courses.validators


def encrypt_existing(apps, schema_editor):
    from courses.crypto import encrypt_text, keyed_hash

    TraineeProfile = apps.get_model("courses", "TraineeProfile")
    for pk, pesel in TraineeProfile.objects.exclude(pesel="").values_list(
        "pk", "pesel"
    ):
        TraineeProfile.objects.filter(pk=pk).update(
            pesel=encrypt_text(pesel), pesel_hash=keyed_hash(pesel)
        )


def decrypt_existing(apps, schema_editor):
    from courses.crypto import decrypt_text

    TraineeProfile = apps.get_model("courses", "TraineeProfile")
    for pk, token in TraineeProfile.objects.exclude(pesel="").values_list(
        "pk", "pesel"
    ):
        TraineeProfile.objects.filter(pk=pk).update(pesel=decrypt_text(token))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_communication"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="traineeprofile",
            options={
                "ordering": ["last_name", "first_name"],
                "permissions": [("reveal_pesel", "Can reveal PESEL numbers (logged)")],
                "verbose_name": "trainee",
                "verbose_name_plural": "trainees",
            },
        ),
        migrations.CreateModel(
            name="AccessEvent",
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
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True, db_index=True, verbose_name="when"
                    ),
                ),
                (
                    "role",
                    models.CharField(blank=True, max_length=100, verbose_name="role"),
                ),
                (
                    "organisation",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="organisation"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("view", "Viewed"),
                            ("download", "Downloaded"),
                            ("export", "Exported"),
                            ("reveal_pesel", "Revealed the PESEL number"),
                            ("erasure", "Erased"),
                            ("anonymisation", "Anonymised"),
                        ],
                        max_length=20,
                        verbose_name="action",
                    ),
                ),
                ("what", models.CharField(max_length=300, verbose_name="what")),
                (
                    "path",
                    models.CharField(
                        blank=True, max_length=500, verbose_name="address"
                    ),
                ),
                (
                    "trainee_count",
                    models.PositiveIntegerField(default=0, verbose_name="people"),
                ),
            ],
            options={
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="traineeprofile",
            name="unique_trainee_pesel",
        ),
        migrations.AddField(
            model_name="traineeprofile",
            name="pesel_hash",
            field=courses.models.fields.KeyedHashField(
                db_index=True, source="pesel", verbose_name="PESEL keyed hash"
            ),
        ),
        migrations.AlterField(
            model_name="traineeprofile",
            name="pesel",
            field=models.TextField(blank=True, verbose_name="PESEL"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="traineeprofile",
            name="pesel",
            field=courses.models.fields.EncryptedTextField(
                blank=True,
                validators=[courses.validators.validate_pesel],
                verbose_name="PESEL",
            ),
        ),
        migrations.AddConstraint(
            model_name="traineeprofile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pesel_hash", ""), _negated=True),
                fields=("pesel_hash",),
                name="unique_trainee_pesel_hash",
                violation_error_code="pesel_taken",
                violation_error_message="A trainee with this PESEL number is already registered.",
            ),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="trainees",
            field=models.ManyToManyField(
                blank=True,
                related_name="access_events",
                to="courses.traineeprofile",
                verbose_name="whose data",
            ),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
    ]
