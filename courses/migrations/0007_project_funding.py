import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A project's funding as its documents print it: kind, statement, marks."""

    dependencies = [
        ("courses", "0006_export_log_choices"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        # The amount keeps its values: co-financing from the EU or the state budget.
        migrations.RenameField(
            model_name="project",
            old_name="eu_cofinancing",
            new_name="cofinancing",
        ),
        migrations.AlterField(
            model_name="project",
            name="cofinancing",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="From the European funds or the state budget, as funded.",
                max_digits=14,
                verbose_name="co-financing (PLN)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="eu_mark",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the site's mark of the same kind (Settings → funding marks), or the standard one.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="EU mark (flag of the European Union)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="funding_kind",
            field=models.CharField(
                choices=[
                    ("eu_funds", "European funds"),
                    ("state_budget", "state budget"),
                ],
                default="eu_funds",
                max_length=20,
                verbose_name="funding",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="funding_statement",
            field=models.TextField(
                blank=True,
                help_text="Printed on the project's documents and e-mails. Empty: the site's statement for European funds, the standard wording with the amounts for the state budget.",
                verbose_name="funding statement",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="national_mark",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the site's mark of the same kind (Settings → funding marks), or the standard one.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="national mark (flag and emblem of Poland)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="programme_mark",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the site's mark of the same kind (Settings → funding marks), or the standard one.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="programme mark (Fundusze Europejskie)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="region_mark",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the site's mark of the same kind (Settings → funding marks), or the standard one.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="regional mark (beneficiary)",
            ),
        ),
    ]
