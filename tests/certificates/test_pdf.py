"""The stored PDF read back: text, metadata, the verification link, the programme."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from certificates.services import certificate_issue
from courses.models import Course
from tests.states import past_edition

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db


def _read(certificate) -> PdfReader:
    with certificate.pdf.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def _links(reader: PdfReader) -> list[str]:
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


def test_pdf_says_the_polish_name_number_course_and_links_the_verification_page(
    enrolment, coordinator
):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    reader = _read(certificate)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Małgorzata Łęczycka-Źrebiec" in text
    assert certificate.number in text
    assert certificate.code in text
    assert "ZAŚWIADCZENIE" in text
    assert "ukończyła szkolenie „Praca socjalna z rodziną w kryzysie”" in text
    assert "24 godzin" in text
    assert "02.03.2026 – 04.03.2026" in text
    assert "Prowadzący: dr Anna Wójcik, mgr Łukasz Żółkiewski" in text
    url = (
        settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + f"/zaswiadczenia/weryfikacja/{certificate.code}/"
    )
    assert _links(reader) == [url]


def test_pdf_is_tagged_with_title_and_language(enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    reader = _read(certificate)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "pl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith(f"ZAŚWIADCZENIE {certificate.number}")


def test_pdf_lists_the_programme_of_the_course_page(demo_data, coordinator):
    course = Course.objects.filter(pages__live=True).first()
    page = course.pages.get().specific
    edition = past_edition(course=course)  # the demo's editions are all to come
    enrolment = completed_enrolment(edition=edition)
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    titles = [block.value["title"] for block in page.programme]
    assert titles
    assert certificate.snapshot["topics"][0]["title"] == titles[0]
    text = " ".join(_read(certificate).pages[0].extract_text().split())
    assert "ZAKRES TEMATYCZNY SZKOLENIA" in text.upper()
    assert " ".join(titles[0].split()[:4]) in text
