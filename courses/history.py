"""Change history of personal data, kept by django-auditlog: who changed what, when.

Reads are in the access log (`services/access.py`); changes are here. PESEL is never
in the history: its encrypted field and its keyed hash are excluded, so neither the
number nor a token of it is copied out of the encrypted column. When a person is
anonymised their history goes too (`history_forget`): otherwise the old values
(name, phone, address) would survive in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import post_log, pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

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


def history_record_created(instances: Sequence[Model]) -> None:
    """The "created" entries auditlog writes as each row is saved, for rows bulk-inserted.

    `bulk_create` sends no `post_save`, so auditlog sees nothing: this writes the entry
    its receiver would (the same diff, representation, serialized data and correlation
    id; actor and address from the request's auditlog context, through LogEntry's
    `pre_save` as a save would fill them), all in one insert.
    """
    if not instances or auditlog_disabled.get():
        return
    model = type(instances[0])
    if not auditlog.contains(model):
        return
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE
    entries = []
    # Rows just inserted have no row pointing at them one-to-one (a participant record,
    # say): known as absent, so the diff does not ask the database for each.
    reverse = [r for r in model._meta.related_objects if r.one_to_one]
    for instance in instances:
        for relation in reverse:
            if not relation.is_cached(instance):
                relation.set_cached_value(instance, None)
        results = pre_log.send(model, instance=instance, action=action)
        if any(result is False for _receiver, result in results):
            continue
        changes = model_instance_diff(
            None, instance, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
        )
        pk = LogEntry.objects._get_pk_value(instance)
        entry = LogEntry(
            content_type=content_type,
            object_pk=pk,
            object_id=pk if isinstance(pk, int) else None,
            object_repr=smart_str(instance),
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
            action=action,
            changes=changes,
            cid=get_cid(),
        )
        additional = getattr(instance, "get_additional_data", None)
        if callable(additional):
            entry.additional_data = additional()
        pre_save.send(
            sender=LogEntry,
            instance=entry,
            raw=False,
            using="default",
            update_fields=None,
        )
        entries.append((instance, entry))
    LogEntry.objects.bulk_create([entry for _instance, entry in entries])
    for instance, entry in entries:
        post_log.send(
            model,
            instance=instance,
            instance_old=None,
            action=action,
            error=None,
            pre_log_results=[],
            changes=entry.changes,
            log_entry=entry,
            log_created=True,
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
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
