from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import notifications, signals

        signals.enrolment_status_changed.connect(
            notifications.on_enrolment_status_changed,
            dispatch_uid="courses.notifications.enrolment_email",
        )
