"""What courses announces; sent only after the transaction commits."""

from django.dispatch import Signal

# sender=Enrolment, enrolment=..., previous=<status or "">, actor=<user or None>
enrolment_status_changed = Signal()
# sender=Edition, edition_ids=[...]: seats or waitlists of these editions changed
seats_changed = Signal()
# sender=TraineeProfile, trainee=...: the person's data is anonymised after retention;
# apps holding copies of it (certificates) drop them, keeping what must stay
trainee_anonymised = Signal()
