"""The signed declaration (oświadczenie) that a pending enrolment waits for."""

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..models import LIVE, Enrolment, EnrolmentEvent, EnrolmentStatus
from ..storage import atomic_file_replacement
from .actors import Actor, actor_user
from .locking import locking_transaction


def enrolment_mark_declaration_received(
    *, enrolment: Enrolment, actor: Actor
) -> Enrolment:
    """Record that the signed declaration arrived on paper, and who took it in."""
    with locking_transaction():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in LIVE:
            raise EnrolmentError(
                _("This enrolment is already %(status)s.")
                % {"status": enrolment.get_status_display()},
                code="wrong_status",
            )
        if enrolment.has_declaration:
            raise EnrolmentError(
                _("The signed declaration has already been received."),
                code="already_received",
            )
        enrolment.declaration_on_paper = True
        enrolment.declaration_received_at = timezone.now()
        enrolment.save(
            update_fields=[
                "declaration_on_paper",
                "declaration_received_at",
                "updated_at",
            ]
        )
        # The status stays; the history still says who took the paper in and when.
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            from_status=enrolment.status,
            to_status=enrolment.status,
            actor=actor_user(actor),
            reason=_("Signed declaration received on paper."),
        )
    return enrolment


DECLARATION_MAX_BYTES = 5 * 1024 * 1024
# Leading bytes of the kinds of scan we take, and the suffix the stored file gets.
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


def declaration_file_kind(*, file: File) -> str:
    """The suffix for an uploaded scan, judged by its content; EnrolmentError if unfit."""
    if not file.size:
        raise EnrolmentError(_("The file is empty."), code="empty_file")
    if file.size > DECLARATION_MAX_BYTES:
        raise EnrolmentError(
            _("The file is too large: the limit is 5 MB."), code="file_too_large"
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for signature, suffix in _SIGNATURES:
        if head.startswith(signature):
            return suffix
    raise EnrolmentError(
        _("Send a PDF, JPEG or PNG file: this file is none of them."),
        code="wrong_file_type",
    )


def enrolment_attach_declaration(
    *, enrolment: Enrolment, file: File, actor: Actor
) -> Enrolment:
    """Store the trainee's scan of the signed declaration; all or nothing."""
    suffix = declaration_file_kind(file=file)
    with atomic_file_replacement(locking_transaction) as save:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        _check_can_attach(enrolment=enrolment)
        save(enrolment.declaration, f"declaration.{suffix}", file)
        enrolment.declaration_received_at = timezone.now()
        enrolment.save(
            update_fields=["declaration", "declaration_received_at", "updated_at"]
        )
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            from_status=enrolment.status,
            to_status=enrolment.status,
            actor=actor_user(actor),
            reason=_("Signed declaration uploaded."),
        )
    return enrolment


def _check_can_attach(*, enrolment: Enrolment) -> None:
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED):
        raise EnrolmentError(
            _("This enrolment is already %(status)s.")
            % {"status": enrolment.get_status_display()},
            code="wrong_status",
        )
    if enrolment.declaration_on_paper:
        raise EnrolmentError(
            _("The signed declaration has already been received on paper."),
            code="already_received",
        )
    # A pending trainee may replace a wrong scan; once confirmed, the scan is evidence.
    if enrolment.declaration and enrolment.status == EnrolmentStatus.CONFIRMED:
        raise EnrolmentError(
            _("The signed declaration has already been received."),
            code="already_received",
        )
