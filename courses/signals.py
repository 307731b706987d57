"""What courses announces; sent only after the transaction commits."""

from django.dispatch import Signal

# sender=Enrolment, enrolment=..., previous=<status or "">, actor=<user or None>
enrolment_status_changed = Signal()
# sender=Edition, edition_ids=[...]: seats or waitlists of these editions changed
seats_changed = Signal()
