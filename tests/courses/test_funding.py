"""A project's funding as its documents print it: kind, statement, amounts, marks."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.models import Site

from courses.documents import render_application_pdf
from courses.funding import project_funding
from courses.models import FundingKind, FundingSettings
from courses.notifications import send_enrolment_email
from courses.services import enrolment_create
from tests.factories import EditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db
EU_MARKS = ["programme_mark", "national_mark", "region_mark", "eu_mark"]


def _image(title: str) -> Image:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (120, 40), "navy").save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="mark.png"))


def _pdf_text(content: bytes) -> str:
    """The text without spaces: pypdf splits some words where the glyphs kern."""
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join("".join(page.extract_text() for page in pages).split())


@pytest.fixture
def enrolment():
    edition = EditionFactory(project__programme="Program Operacyjny Wiedza Edukacja")
    return enrolment_create(trainee=TraineeFactory(), edition=edition)


def test_european_funds_carry_four_standard_marks_and_the_site_statement(enrolment):
    with translation.override("pl"):
        funding = project_funding(project=enrolment.edition.project)
    assert funding.kind == FundingKind.EU_FUNDS
    assert [mark.field for mark in funding.marks] == EU_MARKS
    assert [mark.src for mark in funding.marks] == [
        "/static/courses/marks/programme.svg",
        "/static/courses/marks/poland.svg",
        "/static/courses/marks/region.svg",
        "/static/courses/marks/eu.svg",
    ]
    assert funding.marks[3].alt == "Unia Europejska – Europejski Fundusz Społeczny"
    assert "Europejskiego Funduszu Społecznego" in funding.statement


def test_the_state_budget_says_so_with_the_amount_and_the_total_value(enrolment):
    project = enrolment.edition.project
    project.funding_kind = FundingKind.STATE_BUDGET
    project.value = Decimal("1007997.60")
    project.cofinancing = Decimal("849540.38")
    project.save()

    with translation.override("pl"):
        funding = project_funding(project=project)
    assert [mark.field for mark in funding.marks] == ["national_mark", "region_mark"]
    assert funding.statement.replace("\xa0", " ") == (
        "Dofinansowano ze środków budżetu państwa. "
        "Program Operacyjny Wiedza Edukacja. "
        "Kwota dofinansowania: 849 540,38 zł. Całkowita wartość: 1 007 997,60 zł."
    )
    text = _pdf_text(render_application_pdf(enrolment=enrolment))
    assert "Dofinansowanoześrodkówbudżetupaństwa" in text
    assert "współfinansowanyześrodkówbudżetupaństwa" in text
    assert "EuropejskiegoFunduszuSpołecznego" not in text


def test_the_project_s_own_mark_comes_first_then_the_site_s(enrolment):
    project = enrolment.edition.project
    project.eu_mark = _image("Flaga UE projektu")
    project.save()
    site_marks = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    site_marks.programme_mark = _image("Znak FE serwisu")
    site_marks.save()

    funding = project_funding(project=project)
    marks = {mark.field: mark for mark in funding.marks}
    assert marks["eu_mark"].src.startswith("/media/images/")
    assert marks["eu_mark"].alt == "Flaga UE projektu"
    assert marks["programme_mark"].src.startswith("/media/images/")
    assert marks["programme_mark"].alt == "Znak FE serwisu"
    assert marks["national_mark"].src == "/static/courses/marks/poland.svg"
    # The renderer finds the uploaded renditions on disk.
    assert render_application_pdf(enrolment=enrolment).startswith(b"%PDF-")


def test_a_statement_typed_on_the_project_goes_on_its_documents_and_e_mails(
    enrolment,
):
    project = enrolment.edition.project
    project.funding_statement = "Projekt finansowany ze środków Funduszu Testowego."
    project.save()
    assert "FunduszuTestowego" in _pdf_text(render_application_pdf(enrolment=enrolment))
    mail.outbox.clear()
    send_enrolment_email(enrolment=enrolment, event="confirmed")
    assert "Funduszu Testowego" in mail.outbox[0].body
