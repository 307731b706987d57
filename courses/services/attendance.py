"""Attendance at sessions, the signed sheets, and the completion decision it feeds.

Completion = the minimum attendance of the edition's rule (or the course's, or 80 %)
plus every condition plugged in through the "courses_completion_condition" hook.
"""

from dataclasses import dataclass, field

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from ..errors import EnrolmentError
from ..extensions import COMPLETION_CONDITION_HOOK
from ..models import (
    Attendance,
    CompletionRule,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionSheet,
)
from ..models.attendance import DEFAULT_MIN_ATTENDANCE
from ..storage import atomic_file_replacement
from .actors import Actor, actor_user
from .declarations import declaration_file_kind
from .locking import locking_transaction
from .status import enrolment_set_status

# A deployment adds its own condition with
#   @hooks.register(COMPLETION_HOOK)
#   def passed_test(*, enrolment): return "reason in Polish" or None
COMPLETION_HOOK = COMPLETION_CONDITION_HOOK


@dataclass(frozen=True)
class Completion:
    """What completion_compute found for one enrolment."""

    attended: int
    total: int
    unmarked: int
    required_percent: int
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        # Rounded down: 79.6 % must not be shown as the 80 % it does not reach.
        return self.attended * 100 // self.total if self.total else 0

    @property
    def attendance_met(self) -> bool:
        return (
            self.total > 0 and self.attended * 100 >= self.required_percent * self.total
        )

    @property
    def passed(self) -> bool:
        return not self.reasons


def required_attendance(*, edition: Edition) -> int:
    """The minimum attendance in percent: the edition's rule, else the course's, else 80."""
    rules = CompletionRule.objects.filter(
        Q(edition=edition) | Q(course_id=edition.course_id)
    )
    by_edition = {rule.edition_id is not None: rule for rule in rules}
    rule = by_edition.get(True) or by_edition.get(False)
    return rule.min_attendance_percent if rule else DEFAULT_MIN_ATTENDANCE


def _check_markable(*, enrolment: Enrolment, session: Session) -> None:
    if session.edition_id != enrolment.edition_id:
        raise EnrolmentError(
            _("This trainee is not in the group of this session."), code="other_edition"
        )
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise EnrolmentError(
            _(
                "Attendance can only be marked for a confirmed enrolment; this one is %(status)s."
            )
            % {"status": enrolment.get_status_display()},
            code="wrong_status",
        )


def attendance_mark(
    *, enrolment: Enrolment, session: Session, present: bool, actor: Actor
) -> Attendance:
    """Record presence or absence; marking the same again changes nothing."""
    with locking_transaction():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        _check_markable(enrolment=enrolment, session=session)
        row = Attendance.objects.filter(enrolment=enrolment, session=session).first()
        if row is not None and row.present == present:
            return row
        if row is None:
            try:
                # A savepoint: a twin request may have inserted the row meanwhile.
                with transaction.atomic():
                    return Attendance.objects.create(
                        enrolment=enrolment,
                        session=session,
                        present=present,
                        marked_by=actor_user(actor),
                        marked_at=timezone.now(),
                    )
            except IntegrityError:
                row = Attendance.objects.get(enrolment=enrolment, session=session)
        row.present = present
        row.marked_by = actor_user(actor)
        row.marked_at = timezone.now()
        row.save(update_fields=["present", "marked_by", "marked_at"])
    return row


def completion_compute(*, enrolment: Enrolment) -> Completion:
    """Attendance against the rule plus every plugged-in condition, with the reasons."""
    edition = enrolment.edition
    total = Session.objects.filter(edition=edition).count()
    marks = Attendance.objects.filter(enrolment=enrolment, session__edition=edition)
    attended = marks.filter(present=True).count()
    unmarked = total - marks.count()
    required = required_attendance(edition=edition)
    reasons = []
    if total == 0:
        reasons.append(_("The group has no sessions."))
    elif attended * 100 < required * total:
        reasons.append(
            _(
                "Attendance %(percent)s %% (%(attended)s of %(total)s sessions) is below "
                "the required %(required)s %%."
            )
            % {
                "percent": attended * 100 // total,
                "attended": attended,
                "total": total,
                "required": required,
            }
        )
    for condition in hooks.get_hooks(COMPLETION_HOOK):
        reason = condition(enrolment=enrolment)
        if reason:
            reasons.append(str(reason))
    return Completion(
        attended=attended,
        total=total,
        unmarked=unmarked,
        required_percent=required,
        reasons=reasons,
    )


def _check_edition_over(*, edition: Edition) -> None:
    last = (
        Session.objects.filter(edition=edition)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    ) or edition.end_date
    if timezone.localdate() < last:
        raise EnrolmentError(
            _("Completion can be confirmed once the last session is held (%(date)s).")
            % {"date": date_format(last, "SHORT_DATE_FORMAT")},
            code="not_over",
        )


def _complete(*, enrolment: Enrolment, actor: Actor) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("edition")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise EnrolmentError(
            _("Only a confirmed enrolment can be completed; this one is %(status)s.")
            % {"status": enrolment.get_status_display()},
            code="wrong_status",
        )
    result = completion_compute(enrolment=enrolment)
    if result.passed:
        status = EnrolmentStatus.COMPLETED
        reason = ngettext(
            "Attendance %(percent)s %% (%(attended)s of %(total)s session).",
            "Attendance %(percent)s %% (%(attended)s of %(total)s sessions).",
            result.total,
        ) % {
            "percent": result.percent,
            "attended": result.attended,
            "total": result.total,
        }
    else:
        status = EnrolmentStatus.NOT_COMPLETED
        reason = " ".join(result.reasons)
    return enrolment_set_status(
        enrolment=enrolment, status=status, actor=actor, reason=reason
    )


def enrolment_complete(*, enrolment: Enrolment, actor: Actor) -> Enrolment:
    """Decide completed or not completed from the rule, with the reasons in the history."""
    _check_edition_over(edition=enrolment.edition)
    with locking_transaction():
        return _complete(enrolment=enrolment, actor=actor)


def edition_complete(*, edition: Edition, actor: Actor) -> list[Enrolment]:
    """Decide completion for every confirmed trainee of the edition at once."""
    _check_edition_over(edition=edition)
    with locking_transaction():
        pending = Enrolment.objects.filter(
            edition=edition, status=EnrolmentStatus.CONFIRMED
        ).order_by("pk")
        return [_complete(enrolment=enrolment, actor=actor) for enrolment in pending]


def session_attach_sheet(*, session: Session, file: File, actor: Actor) -> SessionSheet:
    """Store the scan of the signed attendance list; a new scan replaces the old one."""
    suffix = declaration_file_kind(file=file)
    with atomic_file_replacement(locking_transaction) as save:
        sheet = SessionSheet.objects.select_for_update().filter(
            session=session
        ).first() or SessionSheet(session=session)
        save(sheet.scan, f"sheet.{suffix}", file)
        sheet.uploaded_by = actor_user(actor)
        sheet.uploaded_at = timezone.now()
        sheet.save()
    return sheet
