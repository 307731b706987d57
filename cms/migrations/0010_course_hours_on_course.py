"""Teaching hours move to the course: a page's hours fill a course that has none.

Course.hours is what the application form and the certificate print, so where page
and course both have hours the course's stay. The page field goes in the next
migration; pages now show their course's hours.
"""

from django.db import migrations


def hours_to_courses(apps, schema_editor):
    CoursePage = apps.get_model("cms", "CoursePage")
    Course = apps.get_model("courses", "Course")
    pages = CoursePage.objects.filter(course__isnull=False, hours__gt=0).order_by("pk")
    for course_id, hours in pages.values_list("course_id", "hours"):
        Course.objects.filter(pk=course_id, hours=0).update(hours=hours)


def hours_to_pages(apps, schema_editor):
    CoursePage = apps.get_model("cms", "CoursePage")
    Course = apps.get_model("courses", "Course")
    for course in Course.objects.filter(pages__isnull=False).distinct():
        CoursePage.objects.filter(course=course).update(hours=course.hours)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0009_trainer_collections_per_course"),
        ("courses", "0006_export_log_choices"),
    ]

    operations = [migrations.RunPython(hours_to_courses, hours_to_pages)]
