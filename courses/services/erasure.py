"""Erasure with archival retention (art. 17(3)(b) GDPR) and anonymisation after it.

A person who asks for erasure loses at once what no project must keep: their
sign-in, phone number, consents, and every enrolment in an edition not started yet.
What an EU project must archive (their participation: name, PESEL, institution,
attendance, signed declarations, certificates) is kept until the project's
`retention_until` and the person is told until when and why. After that date the
`privacy_retention` command anonymises them and deletes the scans; the rows stay, so
the aggregate indicators (gender, institution, region, completion) stay true and an
issued certificate number still verifies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..history import disable_auditlog, history_drop_field, history_forget
from ..models import (
    LIVE,
    AccessAction,
    Attendance,
    ClauseAcknowledgement,
    ConsentRecord,
    Enrolment,
    EnrolmentStatus,
    ErasureRequest,
    Project,
    SessionSheet,
    TraineeProfile,
)
from ..privacy_mail import (
    erasure_completed_send,
    erasure_confirmation_send,
    send_quietly,
)
from ..signals import trainee_anonymised
from .access import access_record
from .actors import Actor
from .enrolment import enrolment_withdraw

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ANONYMISED = "Zanonimizowany"  # data, not interface: the same in every language
PARTICIPATION = [
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
]


@dataclass(frozen=True)
class KeptProject:
    project: Project
    until: datetime.date | None  # None: the coordinator has not set the date yet


def _participation(trainee: TraineeProfile):
    """Enrolments that are project records: taken part in, or attendance marked."""
    marked = Attendance.objects.filter(enrolment__trainee=trainee).values(
        "enrolment_id"
    )
    return Enrolment.objects.filter(trainee=trainee).filter(
        Q(status__in=PARTICIPATION, edition__start_date__lte=timezone.localdate())
        | Q(status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED])
        | Q(pk__in=marked)
    )


def erasure_preview(*, trainee: TraineeProfile | None) -> list[KeptProject]:
    """The projects whose records of the person must be kept, with until when."""
    if trainee is None:
        return []
    today = timezone.localdate()
    projects = Project.objects.filter(
        pk__in=_participation(trainee).values("edition__project_id")
    ).order_by("code")
    return [
        KeptProject(project=project, until=project.retention_until)
        for project in projects
        if project.retention_until is None or project.retention_until >= today
    ]


def _withdraw_upcoming(trainee: TraineeProfile, actor: Actor) -> int:
    """Leave every edition that has not started: those places go to others."""
    count = 0
    upcoming = Enrolment.objects.filter(
        trainee=trainee,
        status__in=LIVE,
        edition__start_date__gt=timezone.localdate(),
    ).select_related("edition")
    for enrolment in upcoming:
        try:
            enrolment_withdraw(
                enrolment=enrolment,
                actor=actor,
                reason=_("The trainee asked for erasure of their data."),
                by_coordinator=True,
            )
        except EnrolmentError:
            continue  # changed meanwhile: it stays a record and is kept
        count += 1
    return count


def _close_account(user: User) -> None:
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])


def erasure_request(*, user: User) -> ErasureRequest:
    """Erase at once what may go; keep the project records and say until when.

    Once per person: a second request (a double submit) returns the first.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = ErasureRequest.objects.filter(user=user).first()
        if existing is not None:
            return existing
        address = user.email  # gone once anonymised: read before
        trainee = TraineeProfile.objects.filter(user=user).first()
        withdrawn = _withdraw_upcoming(trainee, user) if trainee else 0
        kept = erasure_preview(trainee=trainee)
        given = ConsentRecord.objects.filter(user=user)
        consents = given.count()
        given.delete()
        ClauseAcknowledgement.objects.filter(user=user).delete()
        erased = [_("sign-in to the account"), _("consents")]
        if withdrawn:
            erased.append(_("enrolments in editions not started yet"))
        if trainee is not None and trainee.phone:
            trainee.phone = ""
            with disable_auditlog():
                trainee.save(update_fields=["phone"])
            history_drop_field(obj=trainee, field="phone")
            erased.append(_("phone number"))
        dates = [k.until for k in kept if k.until is not None]
        request = ErasureRequest.objects.create(
            user=user,
            trainee=trainee,
            kept_until=max(dates) if dates else None,
            kept=[
                {
                    "project": k.project.name,
                    "code": k.project.code,
                    "until": k.until.isoformat() if k.until else None,
                }
                for k in kept
            ],
            erased=[str(item) for item in erased],
        )
        if trainee is not None:
            access_record(
                actor=None,
                action=AccessAction.ERASURE,
                what=_(
                    "Erasure at the person's request: %(erased)s; consents removed: %(count)s"
                )
                % {"erased": ", ".join(str(e) for e in erased), "count": consents},
                trainees=[trainee],
                always=True,
            )
        if trainee is not None and not kept:
            trainee_anonymise(trainee=trainee)
            request.completed_at = timezone.now()
            request.save(update_fields=["completed_at"])
        elif trainee is None:
            _anonymise_user(user)
            request.completed_at = timezone.now()
            request.save(update_fields=["completed_at"])
        else:
            _close_account(user)
        transaction.on_commit(
            lambda: send_quietly(
                erasure_confirmation_send, request_id=request.pk, address=address
            )
        )
    return request


def _anonymise_user(user: User) -> None:
    user.email = f"usuniete-{user.pk}@anonim.invalid"
    user.username = user.email
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    ConsentRecord.objects.filter(user=user).delete()
    ClauseAcknowledgement.objects.filter(user=user).delete()


def _delete_declarations(enrolments) -> int:
    count = 0
    for enrolment in enrolments.exclude(declaration=""):
        enrolment.declaration.delete(save=False)
        Enrolment.objects.filter(pk=enrolment.pk).update(declaration="")
        count += 1
    return count


def trainee_anonymise(*, trainee: TraineeProfile) -> None:
    """Nothing left that names the person; the rows stay for the indicators."""
    with transaction.atomic(), disable_auditlog():
        history_forget(trainee=trainee)  # its old values would name the person
        trainee.first_name = ANONYMISED
        trainee.last_name = f"#{trainee.pk}"
        trainee.pesel = ""
        trainee.phone = ""
        trainee.save(
            update_fields=["first_name", "last_name", "pesel", "pesel_hash", "phone"]
        )
        _anonymise_user(trainee.user)
        _delete_declarations(Enrolment.objects.filter(trainee=trainee))
        ErasureRequest.objects.filter(
            trainee=trainee, completed_at__isnull=True
        ).update(completed_at=timezone.now())
        access_record(
            actor=None,
            action=AccessAction.ANONYMISATION,
            what=_("Anonymised: name, PESEL, contact details and scans removed"),
            trainees=[trainee],
            always=True,
        )
        transaction.on_commit(
            lambda: trainee_anonymised.send(sender=TraineeProfile, trainee=trainee)
        )


@dataclass
class RetentionReport:
    projects: list[str] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    declarations: int = 0
    sheets: int = 0


def retention_run(*, today: datetime.date, dry_run: bool) -> RetentionReport:
    """After projects' archival dates: delete their scans, anonymise who may go.

    A person goes when every project they took part in is past its date, and they
    asked for erasure or have not signed in since the latest of those dates. Whoever
    still has a project to keep, or uses the platform, stays.
    """
    past = Project.objects.filter(retention_until__lt=today)
    report = RetentionReport(projects=list(past.values_list("code", flat=True)))
    past_ids = set(past.values_list("pk", flat=True))
    declarations = Enrolment.objects.filter(edition__project__in=past).exclude(
        declaration=""
    )
    sheets = SessionSheet.objects.filter(session__edition__project__in=past)
    report.declarations = declarations.count()
    report.sheets = sheets.count()
    candidates = TraineeProfile.objects.filter(
        enrolments__edition__project__in=past
    ).distinct()
    asked = set(
        ErasureRequest.objects.filter(completed_at__isnull=True).values_list(
            "trainee_id", flat=True
        )
    )
    for trainee in candidates.select_related("user"):
        projects = set(
            Enrolment.objects.filter(trainee=trainee).values_list(
                "edition__project_id", flat=True
            )
        )
        if not projects <= past_ids:
            continue
        latest = past.filter(pk__in=projects).aggregate(d=Max("retention_until"))["d"]
        login = trainee.user.last_login
        idle = login is None or timezone.localdate(login) <= latest
        if trainee.pk in asked or idle:
            report.people.append(trainee.pk)
    if dry_run:
        return report
    for trainee in TraineeProfile.objects.filter(pk__in=report.people).select_related(
        "user"
    ):
        address = trainee.user.email if trainee.pk in asked else ""
        names = list(
            past.filter(editions__enrolments__trainee=trainee)
            .distinct()
            .values_list("name", flat=True)
        )
        trainee_anonymise(trainee=trainee)
        if address:  # they asked: the promised last message, to the address erased
            send_quietly(erasure_completed_send, address=address, projects=names)
    with transaction.atomic():
        removed = _delete_declarations(declarations)
        for sheet in sheets:
            sheet.scan.delete(save=False)
        people = TraineeProfile.objects.filter(enrolments__edition__project__in=past)
        sheets.delete()
        if removed or report.sheets:
            access_record(
                actor=None,
                action=AccessAction.ERASURE,
                what=_(
                    "Scans deleted after the archival date: %(declarations)s declarations, %(sheets)s attendance lists"
                )
                % {"declarations": removed, "sheets": report.sheets},
                trainees=people.distinct(),
                always=True,
            )
    return report
