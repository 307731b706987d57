"""Seed 004's certificate, as the demo issues it: the state budget's statement with the
amount and the total value and its two marks, never the EU's."""

import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.services import certificate_store_pdf
from courses import demo_leaders as leaders

pytestmark = pytest.mark.django_db


def _text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
        text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def test_a_certificate_of_the_project_prints_the_state_budget_and_not_the_eu(
    demo_data,
):
    certificates = Certificate.objects.filter(
        enrolment__edition__project__code=leaders.PROJECT["code"]
    ).order_by("pk")
    # The first person of each finished group (module I and the mayors' workshop).
    assert sorted(c.enrolment.trainee.user.email for c in certificates) == sorted(
        people[0] for people in leaders.FINISHED.values()
    )
    for certificate in certificates:
        funding = certificate.snapshot["funding"]
        assert funding["kind"] == "state_budget"
        assert [mark["field"] for mark in funding["marks"]] == [
            "national_mark",
            "region_mark",
        ]
        assert certificate_store_pdf(certificate=certificate)
        certificate.refresh_from_db()
        text = _text(certificate)
        assert "Dofinansowano ze środków budżetu państwa." in text
        assert "budżetu państwa" in text
        assert "4 655 373,79 zł" in text and "31 023 712,56 zł" in text
        assert "Liderzy Kooperacji" in text
        assert "Unię Europejską" not in text
        assert "Europejskiego Funduszu Społecznego" not in text
