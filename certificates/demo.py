"""Demo certificates: the demo graduate (absolwent@szkolenia.test) can download theirs,
and the first person of each finished group of seed 004 ("Liderzy Kooperacji") has
one with that project's state-budget marks and statement.

The other completed people of those groups are left without one, so the
coordinator's "What needs doing" offers the groups for certificates. Idempotent: a
completed enrolment keeps its valid certificate.
"""

from courses.demo_leaders import FINISHED as LEADERS_FINISHED
from courses.models import Enrolment, EnrolmentStatus

from .services import certificate_issue

GRADUATE = "absolwent@szkolenia.test"
COORDINATOR = "koordynator@szkolenia.test"


def load(*, users: dict) -> None:
    actor = users.get(COORDINATOR)
    enrolment = Enrolment.objects.filter(
        trainee__user__email=GRADUATE, status=EnrolmentStatus.COMPLETED
    ).first()
    if enrolment is not None:
        certificate_issue(enrolment=enrolment, actor=actor)
    for code, people in LEADERS_FINISHED.items():
        enrolment = Enrolment.objects.filter(
            edition__code=code,
            trainee__user__email=people[0],
            status=EnrolmentStatus.COMPLETED,
        ).first()
        if enrolment is not None:
            certificate_issue(enrolment=enrolment, actor=actor)
