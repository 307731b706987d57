from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    """Its own app so its one table migrates without the site's page models."""

    name = "cms.workers"
    label = "workers"
    verbose_name = _("Task workers")
    default_auto_field = "django.db.models.BigAutoField"
