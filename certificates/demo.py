"""Demo certificates: the demo graduate (absolwent@szkolenia.test) can download theirs.

The other completed people of that group are left without one, so the coordinator's
"What needs doing" offers the group for certificates. Idempotent: a completed
enrolment keeps its valid certificate.
"""

from courses.models import Enrolment, EnrolmentStatus

from .services import certificate_issue

GRADUATE = "absolwent@szkolenia.test"
COORDINATOR = "koordynator@szkolenia.test"


def load(*, users: dict) -> None:
    enrolment = Enrolment.objects.filter(
        trainee__user__email=GRADUATE, status=EnrolmentStatus.COMPLETED
    ).first()
    if enrolment is not None:
        certificate_issue(enrolment=enrolment, actor=users.get(COORDINATOR))
