"""Issuing, revoking and correcting certificates; bulk issuance for a whole group.

Numbering is gap-free per project and year. Taking a number, rendering the PDF, storing
it and saving the certificate happen in one transaction holding the counter row's lock:
if anything fails, the number is rolled back with the rest and the next issue takes
it. That serializes issuance within a project and year, which is the price of a
register without holes. Locks are taken in a fixed order: certificate (correction
only), enrolment, counter.
"""

import logging
import secrets
import time
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Site

from courses.models import (
    AdvisoryRequest,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Project,
    Session,
    SupportKind,
)
from courses.selectors import course_topics

from .broadcast import batch_progress
from .errors import CertificateError
from .models import (
    Certificate,
    CertificateBatch,
    CertificateCounter,
    CertificateTemplate,
)
from .pdf import CertificateRenderer
from .selectors import enrolments_awaiting_certificate

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: people type the code from paper. 16 of 32 symbols = 80 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
PROGRESS_INTERVAL = 0.25  # seconds between progress messages of a bulk issuance


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_template() -> CertificateTemplate:
    """The default site's template, or the built-in words when no site is set up."""
    site = Site.objects.filter(is_default_site=True).first()
    return CertificateTemplate.for_site(site) if site else CertificateTemplate()


def _hours(value) -> str:
    if value in (None, ""):
        return ""
    value = Decimal(str(value))
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value)


def programme_topics(*, course) -> list[dict]:
    """The course's programme as the site describes it, for the certificate."""
    return [
        {"title": topic.title, "hours": _hours(topic.hours)}
        for topic in course_topics(course=course)
    ]


# Advisory and coaching are not trainings: their certificate says what was received,
# and its hours are those of the meetings the person attended.
SUPPORT_TEXTS: dict[str, dict[str, str]] = {
    SupportKind.ADVISORY: {
        "subtitle": "o udziale w doradztwie",
        "body": "{completed} doradztwo „{course}” w wymiarze {hours} godzin, "
        "zrealizowane w dniach {dates} w ramach projektu „{project}”.",
        "topics_heading": "Zakres doradztwa",
    },
    SupportKind.COACHING: {
        "subtitle": "o udziale w coachingu",
        "body": "{completed} coaching „{course}” w wymiarze {hours} godzin, "
        "zrealizowany w dniach {dates} w ramach projektu „{project}”.",
        "topics_heading": "Zakres coachingu",
    },
}


def _support_hours(*, enrolment: Enrolment) -> int:
    """Hours of the meetings attended, rounded to the nearest hour (at least one)."""
    minutes = 0
    for session in Session.objects.filter(
        attendances__enrolment=enrolment, attendances__present=True
    ):
        start = session.start_time.hour * 60 + session.start_time.minute
        end = session.end_time.hour * 60 + session.end_time.minute
        minutes += end - start
    return max(1, round(minutes / 60))


def _snapshot(*, enrolment: Enrolment, template: CertificateTemplate) -> dict:
    edition = enrolment.edition
    project = edition.project
    texts = template.texts()
    texts.update(SUPPORT_TEXTS.get(edition.course.kind, {}))
    topics = programme_topics(course=edition.course)
    request = AdvisoryRequest.objects.filter(enrolment=enrolment).first()
    if request is not None:
        topics = [{"title": topic, "hours": ""} for topic in request.topics]
    return {
        "project_name": project.name,
        "project_code": project.code,
        "programme": project.programme,
        "measure": project.measure,
        "edition_code": edition.code,
        "place": edition.place,
        "gender": enrolment.trainee.gender,
        "topics": topics,
        "trainers": [trainer.name for trainer in edition.trainers.all()],
        "template": texts,
    }


def _take_number(*, project: Project, year: int) -> int:
    """The next sequence number, with the counter row locked until the transaction ends."""
    counter, _created = CertificateCounter.objects.select_for_update().get_or_create(
        project=project, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _locked_enrolment(*, enrolment: Enrolment) -> Enrolment:
    # of=("self",): lock the enrolment row only, not the trainee, edition and project
    # rows joined to it, which every other issuance of the edition reads too.
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("trainee__user", "edition__course", "edition__project")
        .get(pk=enrolment.pk)
    )


def _pdf_name(certificate: Certificate) -> str:
    return f"{certificate.year}/{slugify(certificate.number)}-{certificate.code}.pdf"


def certificate_issue(
    *,
    enrolment: Enrolment,
    actor: User | None,
    renderer: CertificateRenderer | None = None,
    template: CertificateTemplate | None = None,
) -> Certificate:
    """Issue the certificate of a completed enrolment; the valid one if it has it."""
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment=enrolment)
        existing = enrolment.certificates.filter(revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        if enrolment.status != EnrolmentStatus.COMPLETED:
            raise CertificateError(
                _("A certificate is issued only for a completed training."),
                code="not_completed",
            )
        certificate = _issue(
            enrolment=enrolment,
            actor=actor,
            renderer=renderer or CertificateRenderer(),
            template=template or certificate_template(),
        )
    return certificate


def _issue(
    *,
    enrolment: Enrolment,
    actor: User | None,
    renderer: CertificateRenderer,
    template: CertificateTemplate,
) -> Certificate:
    edition = enrolment.edition
    project = edition.project
    issued_on = timezone.localdate()
    snapshot = _snapshot(enrolment=enrolment, template=template)
    sequence = _take_number(project=project, year=issued_on.year)
    certificate = Certificate(
        enrolment=enrolment,
        project=project,
        year=issued_on.year,
        sequence=sequence,
        number=f"{project.code}/{issued_on.year}/{sequence:05d}",
        code=new_code(),
        issued_on=issued_on,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        holder_name=enrolment.trainee.full_name,
        course_title=edition.course.title,
        hours=edition.course.hours
        if edition.course.kind == SupportKind.TRAINING
        else _support_hours(enrolment=enrolment),
        start_date=edition.start_date,
        end_date=edition.end_date,
        snapshot=snapshot,
    )
    pdf = renderer.render(certificate=certificate)
    certificate.pdf.save(_pdf_name(certificate), ContentFile(pdf), save=False)
    try:
        certificate.save()
    except Exception:
        # The row is rolled back; the file must not outlive it.
        certificate.pdf.delete(save=False)
        raise
    transaction.on_commit(lambda: _notify(certificate))
    return certificate


def _notify(certificate: Certificate) -> None:
    from .notifications import send_certificate_email

    try:
        send_certificate_email(certificate=certificate)
    except Exception:
        # Issued and committed already: a mail server down must not undo it.
        logger.exception("Certificate e-mail for %s not sent", certificate.number)


def _revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise CertificateError(
            _("This certificate has been revoked already."), code="revoked"
        )
    if not reason.strip():
        raise CertificateError(_("Give the reason for revocation."), code="reason")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = (
        actor if actor is not None and actor.is_authenticated else None
    )
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return certificate


def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    """Revoke a certificate with a reason; its number stays used and it stays on record."""
    with transaction.atomic():
        return _revoke(certificate=certificate, actor=actor, reason=reason)


def certificate_correct(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    """Revoke with a reason and issue anew, with a new number, from the current data."""
    with transaction.atomic():
        old = _revoke(certificate=certificate, actor=actor, reason=reason)
        new = certificate_issue(enrolment=old.enrolment, actor=actor)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
    return new


def certificate_preview(*, certificate: Certificate) -> bytes:
    """The stored data rendered again with today's renderer; nothing is saved."""
    return CertificateRenderer().render(certificate=certificate)


def certificate_batch_create(
    *, actor: User, project: Project, edition: Edition | None = None
) -> CertificateBatch:
    """Record a bulk issuance for the enrolments that wait for a certificate."""
    if edition is not None and edition.project_id != project.pk:
        raise CertificateError(_("The edition belongs to another project."))
    total = enrolments_awaiting_certificate(project=project, edition=edition).count()
    return CertificateBatch.objects.create(
        project=project, edition=edition, started_by=actor, total=total
    )


def certificate_batch_start(*, batch: CertificateBatch) -> None:
    """Queue the batch as a background task once the caller's transaction commits."""
    from .tasks import issue_certificate_batch

    transaction.on_commit(lambda: issue_certificate_batch.enqueue(batch_id=batch.pk))


def _save_progress(batch: CertificateBatch, *fields: str) -> None:
    batch.save(update_fields=list(fields))
    batch_progress(batch=batch)


def certificate_batch_run(*, batch: CertificateBatch) -> CertificateBatch:
    """Issue every certificate still missing, each in its own transaction.

    Safe to run again after a crash: what was issued has a valid certificate and is
    skipped; what was not is issued now, with the next free numbers.
    """
    waiting = list(
        enrolments_awaiting_certificate(project=batch.project, edition=batch.edition)
    )
    batch.status = CertificateBatch.Status.RUNNING
    batch.total, batch.issued, batch.failed = len(waiting), 0, 0
    _save_progress(batch, "status", "total", "issued", "failed")
    renderer = CertificateRenderer()
    template = certificate_template()
    actor = batch.started_by
    reported = time.monotonic()
    try:
        for enrolment in waiting:
            try:
                certificate_issue(
                    enrolment=enrolment,
                    actor=actor,
                    renderer=renderer,
                    template=template,
                )
            except CertificateError:
                batch.failed += 1  # e.g. no longer completed since the list was made
            else:
                batch.issued += 1
            # A few messages a second keep the bar live without a commit per step.
            if time.monotonic() - reported >= PROGRESS_INTERVAL:
                _save_progress(batch, "issued", "failed")
                reported = time.monotonic()
    except Exception as error:
        batch.status = CertificateBatch.Status.FAILED
        batch.error = repr(error)
        batch.finished_at = timezone.now()
        _save_progress(batch, "status", "error", "issued", "failed", "finished_at")
        raise
    batch.status = CertificateBatch.Status.FINISHED
    batch.finished_at = timezone.now()
    _save_progress(batch, "status", "issued", "failed", "finished_at")
    return batch
