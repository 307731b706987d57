import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cms", "0010_course_hours_on_course")]

    operations = [
        migrations.RemoveField(model_name="coursepage", name="hours"),
        migrations.AlterField(
            model_name="coursepage",
            name="course",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The training module whose editions trainees enrol in from this "
                    "page; the page shows its teaching hours."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="pages",
                to="courses.course",
                verbose_name="course (enrolment)",
            ),
        ),
    ]
