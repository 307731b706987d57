"""The demo of seed 004, "Liderzy Kooperacji": the seed's facts, its state-budget marks
on its page, its PDFs and its certificate, the workshops for municipal authorities
and the restricted materials open to an authorised institution as such."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader

from cms.models import CoursePage, LessonPage, ProjectInformationPage
from courses import demo_leaders as leaders
from courses.attendance_pdf import render_attendance_list_pdf
from courses.demo import demo_person
from courses.errors import RuleError
from courses.models import (
    AuthorisedInstitution,
    Edition,
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    FundingKind,
    InstitutionType,
    Position,
    Project,
    Session,
    TraineeProfile,
)
from courses.monitoring.layouts import layout
from courses.monitoring.rows import monitoring_rows
from courses.selectors import user_may_see_course_materials
from courses.services import enrolment_create
from courses.services.monitoring import monitoring_export

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def _project() -> Project:
    return Project.objects.get(code=leaders.PROJECT["code"])


def test_the_project_holds_the_seed_s_facts(demo_data):
    project = _project()
    assert project.name == "Liderzy Kooperacji"
    assert project.programme == "Program Operacyjny Wiedza Edukacja Rozwój 2014-2020"
    assert project.measure == "2.5 Skuteczna pomoc społeczna"
    assert project.funding_kind == FundingKind.STATE_BUDGET
    assert (str(project.cofinancing), str(project.value)) == (
        "4655373.79",
        "31023712.56",
    )
    # The seed's days and length (1 April 2018 – 30 November 2022), around today.
    assert (project.start_date.month, project.start_date.day) == (4, 1)
    assert (project.end_date.month, project.end_date.day) == (11, 30)
    assert project.end_date.year - project.start_date.year == 4
    assert project.start_date <= timezone.localdate() <= project.end_date
    codes = set(project.editions.values_list("course__code", flat=True))
    assert codes == {*leaders.MODULES, leaders.WORKSHOPS}
    rules = {
        rule.name: rule for rule in EligibilityRule.objects.filter(project=project)
    }
    assert len(rules) == 2
    for rule in rules.values():
        assert sorted(rule.voivodeships.values_list("name", flat=True)) == sorted(
            leaders.REGIONS
        )
    workshops = next(rule for rule in rules.values() if rule.positions)
    assert set(workshops.positions) == {
        Position.MAYOR,
        Position.MAYOR_DELEGATE,
        Position.COUNCILLOR,
    }
    assert [c.code for c in workshops.courses.all()] == [leaders.WORKSHOPS]


def test_every_edition_and_session_of_every_demo_project_lies_within_its_period(
    demo_data,
):
    for project in Project.objects.all():
        project.clean()  # raises, naming the editions outside the period
        sessions = Session.objects.filter(edition__project=project)
        assert not sessions.filter(date__lt=project.start_date).exists(), project
        assert not sessions.filter(date__gt=project.end_date).exists(), project
        editions = Edition.objects.filter(project=project)
        assert not editions.filter(start_date__lt=project.start_date).exists()
        assert not editions.filter(end_date__gt=project.end_date).exists()


def test_the_mayor_enrols_in_the_workshops_and_not_in_the_staff_modules(demo_data):
    mayor = TraineeProfile.objects.get(user__email=leaders.MAYOR)
    assert mayor.position == Position.MAYOR
    workshop = Edition.objects.get(code="LK-CUS-KIE-01")
    enrolment = enrolment_create(trainee=mayor, edition=workshop)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    with translation.override("pl"), pytest.raises(RuleError) as refused:
        enrolment_create(
            trainee=mayor, edition=Edition.objects.get(code="LK-IPUS-RZE-01")
        )
    assert "Twoja instytucja to: urząd gminy lub miasta." in str(refused.value)
    # The workshops' page says whom they are for.
    page = CoursePage.objects.get(slug=leaders.WORKSHOPS)
    assert "wójtowie, burmistrzowie i prezydenci miast" in page.target_group
    assert "radni gmin" in page.target_group
    assert "pracownicy socjalni" not in page.target_group
    # The finished workshop admitted a mayor, a councillor and a mayor's delegate.
    finished = Enrolment.objects.filter(edition__code="LK-CUS-LUB-00")
    assert sorted(finished.values_list("trainee__position", flat=True)) == sorted(
        [Position.MAYOR, Position.COUNCILLOR, Position.MAYOR_DELEGATE]
    )
    assert set(finished.values_list("status", flat=True)) == {EnrolmentStatus.COMPLETED}


@pytest.mark.parametrize(
    "institution",
    [
        (
            "Ośrodek Interwencji Kryzysowej w Zamościu",
            InstitutionType.CRISIS_INTERVENTION,
            "lubelskie",
            "Zamość",
            "Zamość",
        ),
        (
            "Stowarzyszenie Razem dla Rodziny",
            InstitutionType.NGO,
            "podlaskie",
            "białostocki",
            "Wasilków",
        ),
    ],
)
def test_staff_of_the_seed_s_other_beneficiaries_qualify_for_a_module(
    demo_data, institution
):
    # The seed names OIK and NGOs among the beneficiaries: their staff in
    # macroregion I enrol in the competence modules as a type of their own.
    trainee = demo_person(
        "kadra-oik-ngo@szkolenia.test",
        "Beata",
        "Lis",
        "K",
        Position.OTHER,
        institution,
        users={},
    )
    assert trainee.institution.type == institution[1]
    module = Edition.objects.get(code="LK-IPUS-RZE-01")
    enrolment = enrolment_create(trainee=trainee, edition=module)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    # The same institution outside macroregion I is refused.
    outside = demo_person(
        "kadra-slask@szkolenia.test",
        "Olga",
        "Lis",
        "K",
        Position.OTHER,
        (*institution[:2], "śląskie", "Gliwice", "Gliwice"),
        users={},
    )
    with pytest.raises(RuleError):
        enrolment_create(trainee=outside, edition=module)


def test_staff_of_the_authorised_institution_read_restricted_materials_unenrolled(
    demo_data, client
):
    user = get_user_model().objects.get(email=leaders.AUTHORISED_STAFF)
    trainee = user.trainee
    assert not trainee.enrolments.exists()
    assert AuthorisedInstitution.objects.filter(
        project=_project(), institution=trainee.institution
    ).exists()
    lessons = LessonPage.objects.live().filter(restricted=True)
    assert lessons.exists()
    client.force_login(user)
    for lesson in lessons:
        course = lesson.get_parent().specific.course
        assert user_may_see_course_materials(user=user, course=course)
        assert client.get(lesson.url).status_code == 200
    # A trainee of another institution, not enrolled, does not.
    outsider = get_user_model().objects.get(email="aspirant@szkolenia.test")
    client.force_login(outsider)
    lesson = lessons.first()
    assert not user_may_see_course_materials(
        user=outsider, course=lesson.get_parent().specific.course
    )


def test_the_project_page_prints_the_state_budget_marks_and_statement(
    demo_data, client
):
    page = ProjectInformationPage.objects.get(slug="liderzy-kooperacji")
    assert page.project == _project()
    html = client.get(page.url).content.decode().replace("\xa0", " ")
    assert "4 655 373,79 zł" in html and "31 023 712,56 zł" in html
    # The panel of the project's marks (the footer keeps the site's own).
    marks = _marks_panel(html)
    assert 'data-funding="state_budget"' in marks
    assert "Dofinansowano ze środków budżetu państwa." in marks
    assert "courses/marks/poland.svg" in marks
    assert "courses/marks/region.svg" in marks
    assert "courses/marks/eu.svg" not in marks
    assert "courses/marks/programme.svg" not in marks
    # The EU-funded project's page carries the EU marks.
    other = client.get(ProjectInformationPage.objects.get(slug="o-projekcie").url)
    marks = _marks_panel(other.content.decode())
    assert "courses/marks/eu.svg" in marks and "budżetu państwa" not in marks


def _marks_panel(html: str) -> str:
    start = html.index('aria-labelledby="marks-heading"')
    return html[start : html.index("</section>", start)]


def test_the_project_s_attendance_list_prints_the_state_budget_statement(demo_data):
    session = Session.objects.filter(edition__code="LK-ZOUS-KIE-00").first()
    text = _text(render_attendance_list_pdf(session=session))
    assert "Dofinansowano ze środków budżetu państwa" in text
    assert "4 655 373,79 zł" in text
    assert "Europejskiego Funduszu Społecznego" not in text


def test_the_project_s_participants_pass_the_platform_s_validation(demo_data):
    with translation.override("pl"):
        rows = list(monitoring_rows(project=_project()))
    people = {row.trainee.user.email: row for row in rows}
    assert set(people) == {
        email for group in leaders.FINISHED.values() for email in group
    }
    assert {email: row.problems for email, row in people.items()} == {
        email: [] for email in people
    }
    # Exported in the SL2014 layout, every one of them, with the row the rules ask.
    coordinator = get_user_model().objects.get(email="koordynator@szkolenia.test")
    content, log = monitoring_export(
        user=coordinator, project=_project(), date_from=None, date_to=None
    )
    header, *cells = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    assert list(header) == [column.header for column in layout("sl2014").columns]
    assert len(cells) == 6 and log.filters.get("left_out", 0) == 0
    mayor = next(
        dict(zip(header, row, strict=True)) for row in cells if "Mazurek" in row
    )
    assert mayor["Województwo"] == "lubelskie"
    assert mayor["Obszar wg stopnia urbanizacji (DEGURBA)"] == "3"
    assert mayor["Zatrudniony w"] == "Urząd Gminy Jabłonna"
    assert mayor["Rodzaj przyznanego wsparcia"] == "szkolenie"


def test_loading_the_demo_again_changes_nothing_in_seed_004(demo_data):
    def state():
        project = _project()
        return (
            Project.objects.count(),
            project.editions.count(),
            Session.objects.filter(edition__project=project).count(),
            Enrolment.objects.filter(edition__project=project).count(),
            EligibilityRule.objects.filter(project=project).count(),
            AuthorisedInstitution.objects.count(),
            ProjectInformationPage.objects.count(),
            project.start_date,
        )

    before = state()
    call_command("load_demo_data", verbosity=0)
    assert state() == before
    assert before[-2] == 2  # seed 003's page and seed 004's
