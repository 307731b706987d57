import datetime

import pytest

from courses import roles
from courses.models import TrainerProfile
from tests.factories import (
    CourseFactory,
    EditionFactory,
    ProjectFactory,
    UserFactory,
)
from tests.states import completed_enrolment

__all__ = ["completed_enrolment"]


@pytest.fixture
def edition(db):
    project = ProjectFactory(
        code="POWR.02.05.00-00-0042/20",
        name="Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej",
        programme="Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
        measure="2.5",
    )
    course = CourseFactory(title="Praca socjalna z rodziną w kryzysie", hours=24)
    edition = EditionFactory(
        project=project,
        course=course,
        code="PSR-SL-01",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 4),
    )
    edition.trainers.add(
        TrainerProfile.objects.create(name="dr Anna Wójcik"),
        TrainerProfile.objects.create(name="mgr Łukasz Żółkiewski"),
    )
    return edition


@pytest.fixture
def enrolment(edition):
    return completed_enrolment(
        edition=edition, first_name="Małgorzata", last_name="Łęczycka-Źrebiec"
    )


@pytest.fixture
def coordinator(db):
    return UserFactory(role=roles.COORDINATOR, is_staff=False)
