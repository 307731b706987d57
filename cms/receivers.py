"""Keep each course's trainer group in step with who teaches it."""

from courses.models import Edition, TrainerProfile

from .models import CoursePage
from .services import course_access_sync, course_access_sync_for_course


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, CoursePage):
        course_access_sync(course_page=instance)


def on_edition_trainers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return

    if not reverse:
        course_ids = {instance.course_id}
    elif pk_set:
        course_ids = set(
            Edition.objects.filter(pk__in=pk_set).values_list("course_id", flat=True)
        )
    else:
        # A trainer cleared from every edition: their courses are no longer known here.
        course_ids = set(
            CoursePage.objects.exclude(course=None).values_list("course_id", flat=True)
        )
    for course_id in course_ids:
        course_access_sync_for_course(course_id=course_id)


def on_trainer_profile_saved(sender, instance: TrainerProfile, **kwargs):
    """A profile linked to (or unlinked from) a user account changes who the trainers are."""
    pages = CoursePage.objects.filter(trainers=instance) | CoursePage.objects.filter(
        course__editions__trainers=instance
    )
    for course_page in pages.distinct():
        course_access_sync(course_page=course_page)
