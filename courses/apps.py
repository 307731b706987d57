from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            broadcast,
            collation,
            history,
            notifications,
            roles,
            seat_cache,
            signals,
        )

        connection_created.connect(
            collation.register_sqlite_collation,
            dispatch_uid="courses.collation.sqlite_polish",
        )

        history.history_register()
        signals.enrolment_status_changed.connect(
            notifications.on_enrolment_status_changed,
            dispatch_uid="courses.notifications.enrolment_email",
        )
        # The pages' cached seats first, then the watchers.
        signals.seats_changed.connect(
            seat_cache.on_seats_changed, dispatch_uid="courses.seat_cache.forget"
        )
        signals.seats_changed.connect(
            broadcast.seats_broadcast, dispatch_uid="courses.broadcast.seats"
        )
        from django.db.models.signals import post_delete, post_save

        from .models import InformationClause
        from .templatetags import courses_privacy

        for signal in (post_save, post_delete):
            signal.connect(
                courses_privacy.clauses_changed,
                sender=InformationClause,
                dispatch_uid=f"courses.clauses_changed.{signal is post_save}",
            )
        self._connect_rules_version()
        # Roles are data every database needs, kept as declared in courses/roles.py
        # (like Django's own permissions, which are also made after migrating).
        post_migrate.connect(
            roles.roles_sync_after_migrate,
            sender=self,
            dispatch_uid="courses.roles.roles_sync",
        )

    @staticmethod
    def _connect_rules_version() -> None:
        """Every change of a project's rules or quotas: pages read them afresh."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import (
            EligibilityRule,
            Project,
            Quota,
            QuotaVoivodeship,
            Voivodeship,
        )
        from .services.eligibility import RULES_VERSION

        for model in (EligibilityRule, Quota, QuotaVoivodeship, Voivodeship, Project):
            for signal in (post_save, post_delete):
                signal.connect(
                    RULES_VERSION.changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"courses.rules_version.{model.__name__}.{signal is post_save}",
                )
        for through in (
            EligibilityRule.voivodeships.through,
            EligibilityRule.courses.through,
        ):
            m2m_changed.connect(
                RULES_VERSION.changed,
                sender=through,
                weak=False,
                dispatch_uid=f"courses.rules_version.{through.__name__}",
            )
