from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.core import checks as django_checks
        from wagtail.signals import page_published

        from courses.models import Edition, TrainerProfile

        from . import checks, csp, mfa, page_cache, receivers

        django_checks.register(checks.shared_rate_limits, deploy=True)
        csp.install()
        page_cache.connect()
        authenticator_added.connect(
            mfa.on_authenticator_added, dispatch_uid="cms.mfa_set_up_in_session"
        )

        page_published.connect(
            receivers.on_page_published, dispatch_uid="cms.course_access_sync"
        )
        m2m_changed.connect(
            receivers.on_edition_trainers_changed,
            sender=Edition.trainers.through,
            dispatch_uid="cms.edition_trainers_sync",
        )
        post_save.connect(
            receivers.on_trainer_profile_saved,
            sender=TrainerProfile,
            dispatch_uid="cms.trainer_profile_sync",
        )
