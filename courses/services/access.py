"""The access log: every read of someone's personal data by someone else is recorded.

Views call `access_record` when they show or hand out personal data (admin detail
pages, scans, exports, PESEL reveals); erasure and anonymisation record themselves.
A person reading their own data is not recorded: the log answers "who else".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import AccessAction, AccessEvent, TraineeProfile
from ..roles import COORDINATOR, LABELS, PARTNER, TRAINER
from .actors import Actor, actor_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def operator_name() -> str:
    """The controller that runs the platform, as trainees see it in their log."""
    return getattr(settings, "COURSES_OPERATOR_NAME", "") or settings.WAGTAIL_SITE_NAME


def actor_role(user: User | None) -> tuple[str, str]:
    """(role, organisation) of a user as recorded in the log, in Polish."""
    if user is None:
        return _("System (scheduled task)"), operator_name()
    groups = set(user.groups.values_list("name", flat=True))
    partners = list(user.partner_organisations.values_list("name", flat=True))
    if user.is_superuser:
        role = _("Administrator")
    elif COORDINATOR in groups:
        role = str(LABELS[COORDINATOR])
    elif PARTNER in groups or partners:
        role = str(LABELS[PARTNER])
    elif TRAINER in groups:
        role = str(LABELS[TRAINER])
    else:
        role = _("Staff member")
    if partners and not user.is_superuser and COORDINATOR not in groups:
        return role, ", ".join(sorted(partners))
    return role, operator_name()


def _trainee_ids(trainees) -> list[int]:
    if isinstance(trainees, QuerySet):
        return list(trainees.values_list("pk", flat=True).distinct())
    return sorted(
        {
            item.pk if isinstance(item, TraineeProfile) else int(item)
            for item in trainees
        }
    )


def access_record(
    *,
    actor: Actor,
    action: str,
    what: str,
    trainees,
    path: str = "",
    always: bool = False,
) -> AccessEvent | None:
    """Record one access to the data of `trainees` (a queryset, profiles or ids).

    Returns None when nothing is recorded: a person reading only their own data
    (unless `always`, as for erasure, which is recorded whoever asks).
    """
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action {action!r}")
    user = actor_user(actor)
    ids = _trainee_ids(trainees)
    if user is not None and ids and not always:
        own = TraineeProfile.objects.filter(user=user).values_list("pk", flat=True)
        if set(ids) <= set(own):
            return None
    role, organisation = actor_role(user)
    with transaction.atomic():
        event = AccessEvent.objects.create(
            user=user,
            role=role[:100],
            organisation=organisation[:300],
            action=action,
            what=what[:300],
            path=path[:500],
            trainee_count=len(ids),
        )
        through = AccessEvent.trainees.through
        through.objects.bulk_create(
            [through(accessevent_id=event.pk, traineeprofile_id=pk) for pk in ids],
            batch_size=1000,
        )
    return event


def access_events_of(*, trainee: TraineeProfile) -> QuerySet[AccessEvent]:
    """What a trainee sees on their account: who else touched their data, newest first."""
    return AccessEvent.objects.filter(trainees=trainee).order_by("-created_at", "-id")
