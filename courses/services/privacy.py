"""Information clauses and consents: versions published, shown, given and withdrawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Max

from ..models import (
    ClauseAcknowledgement,
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    InformationClause,
    Project,
)
from ..prepared import Prepared
from .actors import Actor, actor_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _lock_versions(key: str) -> None:
    """Serialise the numbering of one text's versions until the transaction ends.

    A transaction-scoped advisory lock on PostgreSQL (the platform's clause has no row
    to lock); SQLite's IMMEDIATE transactions already let one writer in at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def clause_current(*, project: Project | None = None) -> InformationClause | None:
    """The newest version of a project's clause, or of the platform's (project None)."""
    return (
        InformationClause.objects.filter(project=project)
        .select_related("project")
        .order_by("-version")
        .first()
    )


def clause_publish(
    *, project: Project | None, sections: Mapping[str, str], actor: Actor
) -> InformationClause:
    """A new version of the clause; the older ones stay as they were shown."""
    with transaction.atomic():
        _lock_versions(f"information-clause-{project.pk if project else 'platform'}")
        last = InformationClause.objects.filter(project=project).aggregate(
            v=Max("version")
        )["v"]
        clause = InformationClause(
            project=project,
            version=(last or 0) + 1,
            published_by=actor_user(actor),
            **{
                name: sections[name]
                for name in InformationClause.SECTIONS
                if name in sections
            },
        )
        clause.full_clean()
        clause.save()
    return clause


def clause_acknowledge(
    *, user: User, clause: InformationClause | None, how: str
) -> ClauseAcknowledgement | None:
    """Record that the person was shown this version (once per version and way)."""
    if clause is None:
        return None
    acknowledgement, _created = ClauseAcknowledgement.objects.get_or_create(
        user=user, clause=clause, how=how
    )
    return acknowledgement


def consent_text_publish(
    *, purpose: ConsentPurpose, text: str, actor: Actor
) -> ConsentText:
    """A new version of a consent's wording: those who gave the old one are asked again."""
    with transaction.atomic():
        _lock_versions(f"consent-text-{purpose.pk}")
        last = purpose.texts.aggregate(v=Max("version"))["v"]
        version = ConsentText(
            purpose=purpose,
            version=(last or 0) + 1,
            text=text,
            published_by=actor_user(actor),
        )
        version.full_clean()
        version.save()
    return version


def consents_current() -> list[ConsentText]:
    """The newest text of every purpose that is asked, in the purposes' order."""
    texts = []
    for purpose in ConsentPurpose.objects.filter(is_active=True):
        newest = purpose.texts.order_by("-version").first()
        if newest is not None:
            texts.append(newest)
    return texts


def consent_answers(*, user: User) -> dict[int, ConsentRecord]:
    """The person's newest record per purpose id (their current answer)."""
    answers: dict[int, ConsentRecord] = {}
    for record in _records_of(user_id=user.pk):
        answers[record.text.purpose_id] = record
    return answers


# Read on every signed-in page (the reminder in the layout): compiled once per process.
_records_of = Prepared(
    lambda user_id: (
        ConsentRecord.objects.filter(user_id=user_id)
        .select_related("text")
        .order_by("at", "id")
    ),
    "user_id",
)


def consent_is_given(*, user: User, purpose: str) -> bool:
    """True only when the person gave consent to the newest text of the purpose."""
    texts = {t.purpose.code: t for t in consents_current()}
    text = texts.get(purpose)
    if text is None:
        return False
    record = consent_answers(user=user).get(text.purpose_id)
    return bool(record and record.given and record.text_id == text.pk)


def consents_to_reask(*, user: User) -> list[ConsentText]:
    """Texts whose newer version concerns this person: they consented to an older one.

    Who never consented, or withdrew, is not asked again: a new wording changes
    nothing for them.
    """
    answers = consent_answers(user=user)
    if not answers:  # nothing to re-ask (most people): the texts need not be read
        return []
    return [
        text
        for text in consents_current()
        if (record := answers.get(text.purpose_id)) is not None
        and record.given
        and record.text.version < text.version
    ]


def consents_record(
    *, user: User, decisions: Mapping[int, bool], how: str
) -> list[ConsentRecord]:
    """Record the person's answers ({consent text id: given}); unchanged ones are skipped.

    Only current texts are accepted, all in one transaction.
    """
    current = {text.pk: text for text in consents_current()}
    unknown = set(decisions) - set(current)
    if unknown:
        raise ValueError(f"not a current consent text: {sorted(unknown)}")
    answers = consent_answers(user=user)
    created = []
    with transaction.atomic():
        for text_id, given in decisions.items():
            text = current[text_id]
            record = answers.get(text.purpose_id)
            if record is not None and record.text_id == text_id:
                if record.given == given:
                    continue
            if record is None and not given:
                continue  # never given, still not given: nothing to withdraw
            created.append(
                ConsentRecord.objects.create(user=user, text=text, given=given, how=how)
            )
    return created


def consent_history(*, user: User) -> list[dict[str, Any]]:
    """Every decision of the person, oldest first, for their copy of their data."""
    return [
        {
            "purpose": record.text.purpose.name,
            "version": record.text.version,
            "text": record.text.text,
            "given": record.given,
            "how": record.get_how_display(),
            "at": record.at.isoformat(),
        }
        for record in ConsentRecord.objects.filter(user=user)
        .select_related("text__purpose")
        .order_by("at", "id")
    ]
