"""The signed declaration (oświadczenie) that a pending enrolment waits for."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..models import LIVE, Enrolment, EnrolmentEvent


def enrolment_mark_declaration_received(*, enrolment: Enrolment, actor) -> Enrolment:
    """Record that the signed declaration arrived on paper, and who took it in."""
    with transaction.atomic():
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
            actor=actor if actor is not None and actor.is_authenticated else None,
            reason=_("Signed declaration received on paper."),
        )
    return enrolment
