"""Change history of personal data, kept by django-auditlog: who changed what, when.

Reads are in the access log (`services/access.py`); changes are here. PESEL is never
in the history: its encrypted field and its keyed hash are excluded, so neither the
number nor a token of it is copied out of the encrypted column. When a person is
anonymised their history goes too (`history_forget`): otherwise the old values
(name, phone, address) would survive in it.
"""

from __future__ import annotations

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

NEVER_IN_HISTORY = ["pesel", "pesel_hash"]


def history_register() -> None:
    """Track the models that hold personal data (called from CoursesConfig.ready)."""
    from .models import (
        ConsentRecord,
        Institution,
        InstitutionChange,
        ParticipantRecord,
        TraineeProfile,
    )

    for model, options in (
        (TraineeProfile, {"exclude_fields": NEVER_IN_HISTORY}),
        (ParticipantRecord, {"exclude_fields": NEVER_IN_HISTORY}),
        (Institution, {}),
        (InstitutionChange, {}),
        (ConsentRecord, {}),
    ):
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def history_record_status(*, enrolment, previous: str, actor) -> None:
    """An enrolment's change of status, from `enrolment_record_status` (every one).

    Enrolment is not registered with auditlog: its save signals would take the
    creation of enrolments off its one-statement path on PostgreSQL
    (`_create_in_one_batch`), and the services change statuses in bulk anyway.
    """
    if not previous or previous == enrolment.status:
        return  # a new enrolment: its creation is in the history already
    LogEntry.objects.log_create(
        enrolment,
        action=LogEntry.Action.UPDATE,
        changes={"status": [previous, enrolment.status]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def history_of(*objects) -> Q:
    """The filter on LogEntry for these rows (of any tracked models)."""
    query = Q(pk__in=[])
    for obj in objects:
        query |= Q(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_pk=str(obj.pk),
        )
    return query


def history_forget(*, trainee) -> int:
    """Delete the change history that names this person; how many entries went."""
    from .models import ConsentRecord, Enrolment, ParticipantRecord

    rows = [trainee]
    rows += list(Enrolment.objects.filter(trainee=trainee))
    rows += list(ParticipantRecord.objects.filter(trainee=trainee))
    rows += list(ConsentRecord.objects.filter(user_id=trainee.user_id))
    deleted, _by_model = LogEntry.objects.filter(history_of(*rows)).delete()
    return deleted


def history_drop_field(*, obj, field: str) -> None:
    """Remove one field's old and new values from an object's history (erased data)."""
    for entry in LogEntry.objects.filter(history_of(obj)):
        if entry.changes and field in entry.changes:
            changes = {k: v for k, v in entry.changes.items() if k != field}
            LogEntry.objects.filter(pk=entry.pk).update(
                changes=changes, changes_text=""
            )


__all__ = [
    "disable_auditlog",
    "history_drop_field",
    "history_forget",
    "history_register",
]
