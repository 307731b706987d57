"""Recruitment of counties and municipalities: apply, score, rank, select, tell.

Points are computed once, when the application is taken, from the criteria as they
are then, and stored with each answer: a later edit of a scoring rule does not move
an application silently. The ranking sorts by total (criteria plus the
coordinator's justified manual points), then by the call's stated tie rule, then by
submission time, so that two applications never share a place.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..errors import RuleError
from ..models.recruitment import (
    ApplicationAnswer,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallApplication,
    Criterion,
    CriterionKind,
    TieRule,
)
from ..storage import atomic_file_replacement
from .actors import Actor
from .declarations import declaration_file_kind
from .locking import locking_transaction


class CallError(RuleError):
    """A rule of a call said no."""


def criterion_points(*, criterion: Criterion, number=None, yes=None) -> Decimal:
    """The points an answer scores under the criterion's rule."""
    if criterion.kind == CriterionKind.YES_NO:
        return criterion.points_yes if yes else criterion.points_no
    points = Decimal(0)
    for start, value in criterion.threshold_list():
        if number is not None and number >= start:
            points = value
    return points


def criterion_band(*, criterion: Criterion, number) -> int:
    """Index of the threshold band a number falls in (for diversity)."""
    band = 0
    for index, (start, _points) in enumerate(criterion.threshold_list()):
        if number is not None and number >= start:
            band = index
    return band


@dataclass(frozen=True)
class ApplicationForm:
    kind: str
    authority: str
    institution: str
    contact_phone: str
    answers: Mapping[int, object]  # criterion pk -> Decimal | bool
    attachments: Sequence[File] = ()


def _check_open(*, call: Call, at) -> None:
    if not call.is_open(at):
        raise CallError(
            _("The call closed on %(date)s: applications are no longer taken.")
            % {
                "date": date_format(
                    timezone.localtime(call.deadline), "DATETIME_FORMAT"
                )
            },
            code="closed",
        )


def _answer(*, criterion: Criterion, value) -> ApplicationAnswer:
    if criterion.kind == CriterionKind.YES_NO:
        if value not in (True, False):
            raise CallError(
                _("Answer yes or no: %(criterion)s.") % {"criterion": criterion.name},
                code=f"criterion_{criterion.pk}",
            )
        return ApplicationAnswer(
            criterion=criterion,
            yes=value,
            points=criterion_points(criterion=criterion, yes=value),
        )
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise CallError(
            _("Give a number of 0 or more: %(criterion)s.")
            % {"criterion": criterion.name},
            code=f"criterion_{criterion.pk}",
        )
    return ApplicationAnswer(
        criterion=criterion,
        number=number,
        points=criterion_points(criterion=criterion, number=number),
    )


def call_application_submit(
    *, call: Call, form: ApplicationForm, representative: User, at=None
) -> CallApplication:
    """Take an application before the deadline, scored; all of it or nothing."""
    given_at = at
    at = at or timezone.now()
    _check_open(call=call, at=at)
    kinds = set(call.places.values_list("kind", flat=True))
    if form.kind not in kinds:
        raise CallError(_("The call takes no institutions of this kind."), code="kind")
    if not form.authority.strip() or not form.institution.strip():
        raise CallError(
            _("Give the county or municipality and the applying institution."),
            code="authority",
        )
    answers = [
        _answer(criterion=criterion, value=form.answers.get(criterion.pk))
        for criterion in call.criteria.all()
    ]
    kinds_of = [declaration_file_kind(file=file) for file in form.attachments]
    try:
        with atomic_file_replacement(locking_transaction) as save:
            # The call's row is what selection locks: an application either commits
            # before the selection reads the applications, or it finds the deadline
            # passed once the selection is done. None is left undecided.
            locked = Call.objects.select_for_update().get(pk=call.pk)
            _check_open(call=locked, at=given_at or timezone.now())
            application = CallApplication.objects.create(
                call=call,
                kind=form.kind,
                authority=form.authority.strip(),
                institution=form.institution.strip(),
                representative=representative,
                contact_phone=form.contact_phone.strip(),
                submitted_at=at,
            )
            for answer in answers:
                answer.application = application
            ApplicationAnswer.objects.bulk_create(answers)
            for file, suffix in zip(form.attachments, kinds_of, strict=True):
                attachment = ApplicationAttachment(
                    application=application, name=getattr(file, "name", "")[:200]
                )
                save(attachment.file, f"attachment.{suffix}", file)
                attachment.save()
    except IntegrityError as error:
        raise CallError(
            _("This county or municipality has already applied to the call."),
            code="authority",
        ) from error
    return application


def application_set_manual_points(
    *, application: CallApplication, points: Decimal, reason: str, actor: Actor
) -> CallApplication:
    """Add the coordinator's points with the justification every applicant may read."""
    if points and not reason.strip():
        raise CallError(
            _("Justify the manual points: the applicant is told why."), code="reason"
        )
    with locking_transaction():
        # The call first, as selection and publication lock it: points change either
        # before the results are sent or not at all.
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = CallApplication.objects.select_for_update().get(pk=application.pk)
        if call.results_published_at:
            raise CallError(
                _("The results have been sent: the points can no longer change."),
                code="published",
            )
        changed = (
            application.manual_points != points
            or application.manual_reason != reason.strip()
        )
        application.manual_points = points
        application.manual_reason = reason.strip()
        application.save(update_fields=["manual_points", "manual_reason"])
        if changed:
            # A selection made on the old points is void: its places and reasons
            # would no longer follow the ranking. The coordinator selects again.
            call.applications.exclude(status=ApplicationStatus.SUBMITTED).update(
                status=ApplicationStatus.SUBMITTED, result_reason=""
            )
    return application


@dataclass
class Ranked:
    application: CallApplication
    total: Decimal
    tie_value: Decimal | None
    band: int | None
    position: int = 0


def call_ranking(*, call: Call) -> list[Ranked]:
    """The applications in rank order, per the totals and the call's tie rule."""
    applications = list(
        call.applications.prefetch_related("answers__criterion").order_by(
            "submitted_at", "pk"
        )
    )
    rows = []
    for application in applications:
        answers: dict[int | None, ApplicationAnswer] = {
            a.criterion_id: a for a in application.answers.all()
        }
        total = sum((a.points for a in answers.values()), Decimal(0))
        tie = answers.get(call.tie_criterion_id)
        diversity = answers.get(call.diversity_criterion_id)
        rows.append(
            Ranked(
                application=application,
                total=total + application.manual_points,
                tie_value=tie.number if tie else None,
                band=criterion_band(
                    criterion=diversity.criterion, number=diversity.number
                )
                if diversity
                else None,
            )
        )

    def key(row: Ranked):
        tie = row.tie_value if row.tie_value is not None else Decimal(0)
        if call.tie_rule == TieRule.CRITERION_HIGH:
            tie = -tie
        elif call.tie_rule == TieRule.EARLIER:
            tie = Decimal(0)
        return (-row.total, tie, row.application.submitted_at, row.application.pk)

    # Places are per kind, so is the ranking: counties, then each kind of gmina.
    order = {
        kind: i for i, kind in enumerate(call.places.values_list("kind", flat=True))
    }
    rows.sort(key=lambda row: (order.get(row.application.kind, 99), *key(row)))
    positions: dict[str, int] = {}
    for row in rows:
        positions[row.application.kind] = positions.get(row.application.kind, 0) + 1
        row.position = positions[row.application.kind]
    return rows


def _pick(rows: list[Ranked], places: int, diversity: bool) -> list[Ranked]:
    if not diversity:
        return rows[:places]
    chosen: list[Ranked] = []
    seen: set[int | None] = set()
    for row in rows:  # the best of each band first, in rank order
        if len(chosen) < places and row.band not in seen:
            chosen.append(row)
            seen.add(row.band)
    for row in rows:
        if len(chosen) < places and row not in chosen:
            chosen.append(row)
    return chosen


def call_select(*, call: Call, diversity: bool, actor: Actor) -> list[Ranked]:
    """Select the places of each kind by rank (and bands); every applicant gets a reason."""
    with locking_transaction():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.results_published_at:
            raise CallError(
                _("The results have been sent: the selection is final."),
                code="published",
            )
        if timezone.now() < call.deadline:
            raise CallError(
                _("Select after the deadline, when every application is in."),
                code="open",
            )
        diversity = diversity and call.diversity_criterion_id is not None
        ranking = call_ranking(call=call)
        for places in call.places.all():
            rows = [r for r in ranking if r.application.kind == places.kind]
            chosen = _pick(rows, places.places, diversity)
            for row in rows:
                _decide(
                    row=row,
                    chosen=row in chosen,
                    places=places.places,
                    of_kind=len(rows),
                    diversity=diversity,
                )
    return ranking


def _decide(*, row: Ranked, chosen: bool, places: int, of_kind: int, diversity: bool):
    application = row.application
    facts = {
        "position": row.position,
        "points": f"{row.total.normalize():f}",
        "places": places,
        "kind": application.get_kind_display(),
    }
    if chosen:
        status = ApplicationStatus.SELECTED
        reason = (
            _(
                "Selected: place %(position)s in the ranking with %(points)s points; "
                "the call takes %(places)s of kind %(kind)s."
            )
            % facts
        )
        if diversity:
            reason += " " + _(
                "Selection keeps the diversity of the bands of the stated criterion."
            )
    else:
        status = ApplicationStatus.NOT_SELECTED
        reason = (
            _(
                "Not selected: place %(position)s in the ranking with %(points)s points; "
                "the %(places)s places of kind %(kind)s went to applications ranked "
                "higher."
            )
            % facts
        )
        if diversity:
            reason += " " + _(
                "Selection first took the best of each band of the stated criterion."
            )
    if application.manual_points:
        reason += " " + _("Manual points: %(points)s (%(why)s).") % {
            "points": f"{application.manual_points.normalize():f}",
            "why": application.manual_reason,
        }
    application.status = status
    application.result_reason = reason
    application.save(update_fields=["status", "result_reason"])


def call_publish_results(*, call: Call, actor: Actor) -> int:
    """Send every applicant the result with its reason; after this nothing changes."""
    from ..call_notifications import send_call_results

    with locking_transaction():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.results_published_at:
            raise CallError(_("The results have already been sent."), code="published")
        undecided = call.applications.filter(status=ApplicationStatus.SUBMITTED)
        if not call.applications.exists() or undecided.exists():
            raise CallError(
                _("Select first: every application needs its result."), code="undecided"
            )
        call.results_published_at = timezone.now()
        call.save(update_fields=["results_published_at"])
        ids = list(call.applications.values_list("pk", flat=True))
        transaction.on_commit(lambda: send_call_results(application_ids=ids))
    return len(ids)
