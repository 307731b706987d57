"""Issuing, revoking and correcting certificates; bulk issuance for a whole group.

Numbering is gap-free per project and year: the number is taken under the counter
row's lock and committed with the certificate row in one short transaction (a bulk
issuance's worker numbers up to CLAIM_SIZE rows in one), so a rollback gives the
numbers back and a committed number always has its row. The PDF is
rendered afterwards, outside every lock, from the row's stored data, and stored whole
with its SHA-256 (`certificate_store_pdf`, retried): so several task workers issue in
parallel, and no file ever exists for a number that was not committed. Locks are
taken in a fixed order: certificate (correction only), enrolment, counter.
"""

import copy
import logging
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Site

from courses.funding import DOCUMENT_RENDITION, project_funding
from courses.links import on_commit_keeping_address, public_base_url
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
from .files import sha256, write_whole
from .models import (
    Certificate,
    CertificateBatch,
    CertificateCounter,
    CertificateLayout,
    CertificateTemplate,
)
from .pdf import CertificateRenderer
from .selectors import enrolments_awaiting_certificate

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: people type the code from paper. 16 of 32 symbols = 80 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
PROGRESS_INTERVAL = 0.5  # seconds between progress messages of a bulk issuance
# A bulk issuance's worker numbers up to CLAIM_SIZE enrolments in one short transaction
# (one query for the enrolments, one for the counter, one insert), then renders them;
# below CLAIM_TAPER * CLAIM_SIZE waiting it claims fewer, one at a time at the end.
CLAIM_SIZE = 4
CLAIM_TAPER = 8
STORE_ATTEMPTS = 3  # renders and writes of one PDF before it is left to a resume
STORE_RETRY_DELAY = 0.5  # seconds, times the attempt number


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_template() -> CertificateTemplate:
    """The default site's template, or the built-in words when no site is set up."""
    site = Site.objects.filter(is_default_site=True).first()
    return CertificateTemplate.for_site(site) if site else CertificateTemplate()


Template = CertificateTemplate | CertificateLayout


def certificate_template_for(*, edition: Edition) -> Template:
    """The course's template in the edition's project, else the project's, else the site's."""
    layouts = {
        layout.course_id: layout
        for layout in CertificateLayout.objects.filter(
            Q(course=edition.course_id) | Q(course__isnull=True),
            project=edition.project_id,
        ).select_related("logo_1", "logo_2", "logo_3")
    }
    return layouts.get(edition.course_id) or layouts.get(None) or certificate_template()


def certificate_layout_save(
    *, layout: CertificateLayout, actor: User | None
) -> CertificateLayout:
    """Validate and save a project's template as its next version."""
    layout.full_clean()
    with transaction.atomic():
        if layout.pk:
            current = (
                CertificateLayout.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=layout.pk)
            )
        else:
            current = 0
        layout.version = current + 1
        layout.updated_by = (
            actor if actor is not None and actor.is_authenticated else None
        )
        layout.save()
    return layout


def template_source(*, template: Template) -> dict:
    """Which template a certificate was issued from, as stored with it."""
    if isinstance(template, CertificateLayout):
        return {
            "kind": "project",
            "id": template.pk,
            "name": template.name,
            "version": template.version,
        }
    return {"kind": "site", "id": template.pk, "name": "", "version": None}


def template_logos(*, template: Template) -> list[dict]:
    """The template's own logos as the PDF prints them (their renditions' addresses)."""
    if not isinstance(template, CertificateLayout):
        return []
    return [
        {"src": logo.get_rendition(DOCUMENT_RENDITION).url, "alt": logo.title}
        for logo in template.logos
    ]


def funding_snapshot(*, project: Project) -> dict:
    """The project's funding statement and marks, in Polish, as they are today."""
    with translation.override("pl"):
        return asdict(project_funding(project=project))


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


def _edition_snapshot(*, edition: Edition, template: Template) -> dict:
    """What every certificate of the edition issued from `template` shares."""
    project = edition.project
    texts = template.texts()
    if not (isinstance(template, CertificateLayout) and template.course_id):
        # A course's own template says what it says; the others speak of trainings.
        texts.update(SUPPORT_TEXTS.get(edition.course.kind, {}))
    return {
        "project_name": project.name,
        "project_code": project.code,
        "programme": project.programme,
        "measure": project.measure,
        "edition_code": edition.code,
        "place": edition.place,
        "topics": programme_topics(course=edition.course),
        "trainers": [trainer.name for trainer in edition.trainers.all()],
        "template": texts,
        "template_source": template_source(template=template),
        "logos": template_logos(template=template),
        "funding": funding_snapshot(project=project),
    }


def _advisory_request(enrolment: Enrolment) -> AdvisoryRequest | None:
    try:  # joined by the query that locked the enrolment, or one query now
        return enrolment.advisory_request
    except AdvisoryRequest.DoesNotExist:
        return None


def _snapshot(
    *, enrolment: Enrolment, template: Template, shared: dict | None = None
) -> dict:
    """The data the certificate is printed from, as it is at issue.

    `shared`: a bulk issuance's cache of the per-edition part (the project, programme,
    trainers, template and funding as they were when the run read them), so that a
    batch does not read them again for every certificate.
    """
    key = (enrolment.edition_id, type(template).__name__, template.pk)
    part = shared.get(key) if shared is not None else None
    if part is None:
        part = _edition_snapshot(edition=enrolment.edition, template=template)
        if shared is not None:
            shared[key] = part
    data = copy.deepcopy(part)
    data["gender"] = enrolment.trainee.gender
    request = _advisory_request(enrolment)
    if request is not None:
        data["topics"] = [{"title": topic, "hours": ""} for topic in request.topics]
    return data


def _take_numbers(*, project: Project, year: int, count: int = 1) -> int:
    """The first of `count` consecutive sequence numbers; the counter row stays locked
    until the transaction ends (so a rollback gives them back).

    One UPDATE ... RETURNING: the row's lock and its new value in one round trip. The
    first number of a project in a year creates the row first.
    """
    table = connection.ops.quote_name(CertificateCounter._meta.db_table)
    last, project_id, year_ = (
        connection.ops.quote_name(name) for name in ("last", "project_id", "year")
    )
    sql = (
        f"UPDATE {table} SET {last} = {last} + %s"
        f" WHERE {project_id} = %s AND {year_} = %s RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, project.pk, year])
        row = cursor.fetchone()
        if row is None:
            CertificateCounter.objects.get_or_create(project=project, year=year)
            cursor.execute(sql, [count, project.pk, year])
            row = cursor.fetchone()
    return row[0] - count + 1


# What issuing reads of an enrolment, joined to it in the query that locks it.
_ENROLMENT_RELATED = (
    "trainee__user",
    "edition__course",
    "edition__project",
    "advisory_request",
)


def _locked_enrolment(*, enrolment: Enrolment) -> Enrolment:
    # of=("self",): lock the enrolment row only, not the trainee, edition and project
    # rows joined to it, which every other issuance of the edition reads too.
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related(*_ENROLMENT_RELATED)
        .get(pk=enrolment.pk)
    )


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.year}/{slugify(certificate.number)}-{certificate.code}.pdf"


def _outside_transaction() -> bool:
    """True when no transaction of ours is open (a test case's own one does not count)."""
    connection = transaction.get_connection()
    return all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def certificate_issue(
    *,
    enrolment: Enrolment,
    actor: User | None,
    renderer: CertificateRenderer | None = None,
    template: Template | None = None,
    batch: CertificateBatch | None = None,
) -> Certificate:
    """Issue the certificate of a completed enrolment; the valid one if it has it.

    The number and the row are committed in a short transaction; the PDF is rendered
    after it, outside every lock, and stored by `certificate_store_pdf`. Inside a
    caller's transaction the PDF is stored once that transaction commits.
    """
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment=enrolment)
        existing = enrolment.certificates.filter(revoked_at__isnull=True).first()
        if existing is not None:
            certificate = existing
        elif enrolment.status != EnrolmentStatus.COMPLETED:
            raise CertificateError(
                _("A certificate is issued only for a completed training."),
                code="not_completed",
            )
        else:
            certificate = _issue_row(
                enrolment=enrolment,
                actor=actor,
                template=template
                or certificate_template_for(edition=enrolment.edition),
                batch=batch,
            )
    if not certificate.pdf:
        _store_after_commit(certificate, renderer or CertificateRenderer())
    return certificate


def _store_after_commit(certificate: Certificate, renderer: CertificateRenderer):
    if _outside_transaction():
        certificate_store_pdf(certificate=certificate, renderer=renderer)
    else:
        on_commit_keeping_address(
            lambda: certificate_store_pdf(certificate=certificate, renderer=renderer)
        )


def _issue_row(
    *,
    enrolment: Enrolment,
    actor: User | None,
    template: Template,
    batch: CertificateBatch | None = None,
) -> Certificate:
    """Take the next number and save the certificate, without its file."""
    return _issue_rows(
        enrolments=[enrolment], actor=actor, templates=[template], batch=batch
    )[0]


def _issue_rows(
    *,
    enrolments: list[Enrolment],
    actor: User | None,
    templates: list[Template],
    batch: CertificateBatch | None = None,
    run: "_Run | None" = None,
) -> list[Certificate]:
    """Number and save the certificates of locked enrolments of one project (each
    issued from its template), without their files: consecutive numbers, taken last,
    so the counter stays locked only for the insert and the commit."""
    issued_on = timezone.localdate()
    certificates = [
        _unsaved_certificate(
            enrolment=enrolment,
            actor=actor,
            template=template,
            issued_on=issued_on,
            batch=batch,
            run=run,
        )
        for enrolment, template in zip(enrolments, templates, strict=True)
    ]
    project = enrolments[0].edition.project
    first = _take_numbers(project=project, year=issued_on.year, count=len(certificates))
    for sequence, certificate in enumerate(certificates, start=first):
        certificate.sequence = sequence
        certificate.number = f"{project.code}/{issued_on.year}/{sequence:05d}"
    if len(certificates) == 1:
        certificates[0].save(force_insert=True)
    else:
        Certificate.objects.bulk_create(certificates)
    for certificate in certificates:
        on_commit_keeping_address(partial(_notify, certificate, run=run))
    return certificates


def _unsaved_certificate(
    *,
    enrolment: Enrolment,
    actor: User | None,
    template: Template,
    issued_on,
    batch: CertificateBatch | None,
    run: "_Run | None",
) -> Certificate:
    edition = enrolment.edition
    return Certificate(
        enrolment=enrolment,
        project=edition.project,
        year=issued_on.year,
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
        snapshot=_snapshot(
            enrolment=enrolment,
            template=template,
            shared=run.snapshots if run is not None else None,
        ),
        batch=batch,
    )


def certificate_store_pdf(
    *,
    certificate: Certificate,
    renderer: CertificateRenderer | None = None,
    attempts: int = STORE_ATTEMPTS,
) -> bool:
    """Render a committed certificate's PDF from its stored data and store it; True if stored.

    Outside any transaction of the caller. The file is written whole under its final
    name while the certificate row is locked, then named on the row with its SHA-256
    in the same commit: a crash in between leaves an unnamed file that the next store
    replaces (or `certificates_sweep` removes), never a row naming a file that is not
    there. Two workers storing the same certificate: the second finds it stored.
    A failing render or storage is retried; after the last attempt the certificate
    stays without a file (the batch reports it, a resume or the sweep renders it).
    """
    renderer = renderer or CertificateRenderer()
    for attempt in range(1, attempts + 1):
        try:
            data = renderer.render(certificate=certificate)
            digest = sha256(data)
            name = _pdf_name(certificate)
            with transaction.atomic():
                # The row locked, but only its file columns read (not the snapshot).
                stored_name, stored_sha256 = (
                    Certificate.objects.select_for_update()
                    .values_list("pdf", "pdf_sha256")
                    .get(pk=certificate.pk)
                )
                if stored_name:
                    certificate.pdf.name = stored_name
                    certificate.pdf_sha256 = stored_sha256
                    return False
                storage = certificate.pdf.storage
                write_whole(storage, name, data)
                with storage.open(name, "rb") as written:
                    if sha256(written.read()) != digest:
                        raise OSError(f"{name} was not stored whole")
                Certificate.objects.filter(pk=certificate.pk).update(
                    pdf=name, pdf_sha256=digest
                )
            certificate.pdf.name = name
            certificate.pdf_sha256 = digest
            return True
        except Exception:
            logger.exception(
                "PDF of certificate %s not stored (attempt %s of %s)",
                certificate.number,
                attempt,
                attempts,
            )
            if attempt < attempts:
                time.sleep(STORE_RETRY_DELAY * attempt)
    return False


def _notify(certificate: Certificate, *, run: "_Run | None" = None) -> None:
    from .notifications import send_certificate_email

    try:
        if run is None:
            send_certificate_email(certificate=certificate)
        else:  # the run's statements, the certificate as just created
            send_certificate_email(
                certificate=certificate,
                statements=run.statements,
                loaded=True,
            )
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


def _startable(batch_id: int):
    stale = timezone.now() - timedelta(
        seconds=settings.CERTIFICATES_BATCH_STALE_SECONDS
    )
    running = CertificateBatch.Status.RUNNING
    return CertificateBatch.objects.filter(pk=batch_id).filter(
        Q(status__in=[CertificateBatch.Status.WAITING, CertificateBatch.Status.FAILED])
        | Q(status=running, heartbeat_at__lt=stale)
        | Q(status=running, heartbeat_at__isnull=True)
    )


def certificate_batch_start(*, batch: CertificateBatch) -> bool:
    """Start a waiting or failed batch, or resume an interrupted one; False if it runs.

    Anyone who may start a batch may resume it. The claim is one conditional UPDATE,
    so two people pressing the button at once start it once. The batch is queued as
    CERTIFICATES_BATCH_WORKERS tasks that share the work once the caller commits.
    """
    from .tasks import issue_certificate_batch

    claimed = _startable(batch.pk).update(
        status=CertificateBatch.Status.RUNNING,
        heartbeat_at=timezone.now(),
        error="",
        finished_at=None,
    )
    if not claimed:
        return False
    workers = max(1, settings.CERTIFICATES_BATCH_WORKERS)
    base_url = public_base_url()  # the links of the PDFs: as this request sees the site

    def enqueue() -> None:
        for _worker in range(workers):
            issue_certificate_batch.enqueue(batch_id=batch.pk, base_url=base_url)

    transaction.on_commit(enqueue)
    return True


@dataclass
class _Run:
    """What one worker's run of a bulk issuance reads once and keeps while it runs."""

    templates: dict[tuple[int, int], Template] = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)  # see _snapshot
    statements: dict[int, str] = field(default_factory=dict)  # e-mails', by project
    after: int = 0  # the last enrolment this run claimed: the next is further on
    left: int = 0  # about how many enrolments of the batch wait for a number

    def claim_size(self) -> int:
        """CLAIM_SIZE while plenty wait, then fewer, down to one towards the end: so
        no worker is left idle while another renders the last claim of several."""
        return max(1, min(CLAIM_SIZE, self.left // CLAIM_TAPER))


def _issue_next(
    *, batch: CertificateBatch, actor: User | None, run: _Run
) -> list[Certificate]:
    """Claim the next enrolments of the batch still without a certificate and number
    them (at most `run.claim_size()`, in one short transaction); [] when none is left.

    SKIP LOCKED lets several workers share one batch: each takes enrolments no other
    holds. The certificates are looked for again after the lock is taken (READ
    COMMITTED gives every statement a new snapshot), so one another worker just issued
    is seen. Each run reads on from the last enrolment it claimed (the list is in id
    order), so the query does not walk the issued ones again; at the end it looks once
    more from the start, for an enrolment another worker held and gave up.
    """
    waiting = enrolments_awaiting_certificate(
        project=batch.project, edition=batch.edition
    ).select_related(*_ENROLMENT_RELATED)
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True, of=("self",))
    else:
        waiting = waiting.select_for_update()
    while True:
        with transaction.atomic():
            enrolments = list(waiting.filter(pk__gt=run.after)[: run.claim_size()])
            if not enrolments:
                if run.after == 0:
                    return []
                run.after = 0  # once more from the start
                continue
            run.after = enrolments[-1].pk
            issued = set(
                Certificate.objects.filter(
                    enrolment__in=enrolments, revoked_at__isnull=True
                ).values_list("enrolment_id", flat=True)
            )
            # Those issued by another worker since the list was read are left out.
            enrolments = [e for e in enrolments if e.pk not in issued]
            if not enrolments:
                continue
            templates = []
            for enrolment in enrolments:
                edition = enrolment.edition
                key = (edition.project_id, edition.course_id)
                if key not in run.templates:
                    run.templates[key] = certificate_template_for(edition=edition)
                templates.append(run.templates[key])
            run.left -= len(enrolments)
            return _issue_rows(
                enrolments=enrolments,
                actor=actor,
                templates=templates,
                batch=batch,
                run=run,
            )


def _beat(batch: CertificateBatch, run: _Run | None = None, **fields) -> None:
    """Record progress (counted from the rows, whichever worker issued them)."""
    counts = Certificate.objects.filter(batch=batch).aggregate(
        rows=Count("pk"), stored=Count("pk", filter=~Q(pdf=""))
    )
    batch.issued = counts["stored"]
    batch.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(batch, name, value)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        issued=batch.issued, heartbeat_at=batch.heartbeat_at, **fields
    )
    if run is not None:
        run.left = batch.total - counts["rows"]
    batch_progress(batch=batch)


def certificate_batch_run(*, batch: CertificateBatch) -> CertificateBatch:
    """Issue every certificate still missing in the batch; one of its workers.

    Safe to run again after a crash and beside other runs of the same batch: every
    enrolment gets exactly one valid certificate, the numbers stay gap-free (each is
    committed with its row), and the PDFs a dead run left unstored are stored now.
    """
    started = timezone.now()
    actor = batch.started_by
    renderer = CertificateRenderer()
    run = _Run()
    awaiting = enrolments_awaiting_certificate(
        project=batch.project, edition=batch.edition
    ).count()
    ours = Certificate.objects.filter(batch=batch)
    batch.status = CertificateBatch.Status.RUNNING
    _beat(
        batch,
        run,
        status=batch.status,
        total=ours.count() + awaiting,
        finished_at=None,
        error="",
    )
    not_stored = 0
    reported = time.monotonic()
    try:
        while certificates := _issue_next(batch=batch, actor=actor, run=run):
            for certificate in certificates:
                if not certificate_store_pdf(
                    certificate=certificate, renderer=renderer
                ):
                    not_stored += 1
                # A few messages a second keep the bar live without a commit per step.
                if time.monotonic() - reported >= PROGRESS_INTERVAL:
                    _beat(batch, run)
                    reported = time.monotonic()
        # Files a dead run left unstored (not those another live worker is storing).
        for certificate in ours.filter(pdf="", issued_at__lt=started):
            if not certificate_store_pdf(certificate=certificate, renderer=renderer):
                not_stored += 1
            _beat(batch)
    except Exception as error:
        _beat(
            batch,
            status=CertificateBatch.Status.FAILED,
            error=_("The issuance stopped: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        raise
    _finish(batch, not_stored=not_stored)
    return batch


def _finish(batch: CertificateBatch, *, not_stored: int) -> None:
    still_running = CertificateBatch.objects.filter(
        pk=batch.pk, status=CertificateBatch.Status.RUNNING
    )
    ours = Certificate.objects.filter(batch=batch)
    missing = ours.filter(pdf="").count()
    issued = ours.count() - missing
    if not_stored:
        fields = {
            "status": CertificateBatch.Status.FAILED,
            "failed": missing,
            "error": _(
                "%(count)s PDF files could not be stored; start again to retry them."
            )
            % {"count": not_stored},
        }
    elif missing:
        return  # another worker is still storing its last files: it will finish
    else:
        fields = {"status": CertificateBatch.Status.FINISHED, "failed": 0}
    if still_running.update(finished_at=timezone.now(), issued=issued, **fields):
        batch.refresh_from_db()
        batch_progress(batch=batch)
    else:
        batch.refresh_from_db()
