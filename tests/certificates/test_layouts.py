"""Certificate templates of projects and courses: which one issues, what an issued
certificate keeps, the coordinator's editing with a PDF preview of the unsaved form."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate, CertificateLayout
from certificates.services import (
    certificate_batch_create,
    certificate_batch_run,
    certificate_issue,
    certificate_layout_save,
    certificate_preview,
    certificate_template_for,
)
from courses.models import FundingKind
from tests.factories import CourseFactory, EditionFactory
from tests.states import past_edition

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _stored_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as stored:
        return _text(stored.read())


def _layout(*, project, course=None, actor=None, **texts) -> CertificateLayout:
    layout = CertificateLayout(
        name=texts.pop("name", "Zaświadczenie projektu"),
        project=project,
        course=course,
        **texts,
    )
    return certificate_layout_save(layout=layout, actor=actor)


def test_the_course_template_wins_over_the_projects_and_the_site(edition):
    other_course = EditionFactory(project=edition.project)
    assert certificate_template_for(edition=edition).__class__.__name__ == (
        "CertificateTemplate"
    )
    project_wide = _layout(project=edition.project, signatory_name="Jan Projektowy")
    assert certificate_template_for(edition=edition) == project_wide
    own = _layout(
        project=edition.project, course=edition.course, name="Moduł I", intro="Dla"
    )
    assert certificate_template_for(edition=edition) == own
    assert certificate_template_for(edition=other_course) == project_wide
    # Another project's editions of the same course: not this project's templates.
    elsewhere = EditionFactory(course=edition.course)
    assert certificate_template_for(edition=elsewhere).__class__.__name__ == (
        "CertificateTemplate"
    )


def test_a_certificate_prints_its_templates_words_and_signatories(
    edition, enrolment, coordinator
):
    _layout(
        project=edition.project,
        course=edition.course,
        actor=coordinator,
        title="CERTYFIKAT",
        body="{completed} moduł „{course}” ({hours} godz., {dates}, {edition}).",
        signatory_name="Beata Kierownicza",
        signatory_role="Kierownik Działu Szkoleń",
        second_signatory_name="Robert Koordynacki",
        second_signatory_role="Koordynator projektu",
        place="Kielce",
    )
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    text = _stored_text(certificate)
    assert "CERTYFIKAT" in text and "ZAŚWIADCZENIE" not in text
    assert (
        "ukończyła moduł „Praca socjalna z rodziną w kryzysie” "
        "(24 godz., 02.03.2026 – 04.03.2026, PSR-SL-01)." in text
    )
    for words in ("Beata Kierownicza", "Kierownik Działu Szkoleń", "Kielce, "):
        assert words in text
    assert certificate.snapshot["template_source"] == {
        "kind": "project",
        "id": CertificateLayout.objects.get().pk,
        "name": "Zaświadczenie projektu",
        "version": 1,
    }


def test_an_issued_certificate_keeps_the_text_it_was_issued_with(
    edition, enrolment, coordinator
):
    layout = _layout(
        project=edition.project,
        signatory_name="Beata Kierownicza",
        footer="Stopka pierwszej wersji.",
    )
    first = certificate_issue(enrolment=enrolment, actor=coordinator)
    layout.signatory_name = "Zenon Następca"
    layout.footer = "Stopka drugiej wersji."
    certificate_layout_save(layout=layout, actor=coordinator)
    assert layout.version == 2
    # Downloaded again, rendered again, stored again: the words of version 1.
    first.refresh_from_db()
    for text in (_stored_text(first), _text(certificate_preview(certificate=first))):
        assert "Beata Kierownicza" in text and "Stopka pierwszej wersji." in text
        assert "Zenon Następca" not in text
    Certificate.objects.filter(pk=first.pk).update(pdf="", pdf_sha256="")
    first.refresh_from_db()
    from certificates.services import certificate_store_pdf

    assert certificate_store_pdf(certificate=first)
    assert "Beata Kierownicza" in _stored_text(first)
    # A certificate issued now says what the template says now.
    second = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    assert "Zenon Następca" in _stored_text(second)
    assert second.snapshot["template_source"]["version"] == 2


def test_an_issued_certificate_keeps_the_funding_statement_it_was_issued_with(
    edition, enrolment, coordinator
):
    project = edition.project
    project.funding_kind = FundingKind.STATE_BUDGET
    project.value = Decimal("31023712.56")
    project.cofinancing = Decimal("4655373.79")
    project.save()
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    statement = "Dofinansowano ze środków budżetu państwa."
    assert statement in _stored_text(certificate)
    assert "4 655 373,79 zł" in _stored_text(certificate)
    assert [m["field"] for m in certificate.snapshot["funding"]["marks"]] == [
        "national_mark",
        "region_mark",
    ]
    project.funding_statement = "Zupełnie inne oświadczenie."
    project.save()
    again = _text(certificate_preview(certificate=certificate))
    assert statement in again and "Zupełnie inne" not in again


def test_unknown_placeholders_are_refused_in_polish(edition):
    layout = CertificateLayout(
        name="Z literówką", project=edition.project, body="{completed} {kurs} {hours}"
    )
    with pytest.raises(ValidationError) as error:
        certificate_layout_save(layout=layout, actor=None)
    assert error.value.message_dict["body"] == [
        "Nieznane pola do wstawienia: {kurs}. Dostępne: {completed}, {course}, "
        "{hours}, {dates}, {project}, {project_code}, {edition}, {place}."
    ]
    assert not CertificateLayout.objects.exists()


def test_one_template_per_project_and_per_course(edition):
    _layout(project=edition.project)
    _layout(project=edition.project, course=edition.course)
    with pytest.raises(ValidationError) as error:
        _layout(project=edition.project, name="Drugi")
    assert "ma już szablon zaświadczenia dla wszystkich szkoleń" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _layout(project=edition.project, course=edition.course, name="Drugi")
    assert "ma już szablon zaświadczenia dla tego szkolenia" in str(error.value)
    assert CertificateLayout.objects.count() == 2


def test_a_bulk_issuance_uses_each_courses_template(edition, coordinator):
    module = edition
    workshop = past_edition(
        project=edition.project, course=CourseFactory(title="Warsztaty dla władz gmin")
    )
    _layout(project=edition.project, signatory_name="Dla wszystkich")
    _layout(
        project=edition.project,
        course=workshop.course,
        signatory_name="Dla warsztatów",
        subtitle="o udziale w warsztatach",
    )
    for group in (module, workshop):
        completed_enrolment(edition=group)
    batch = certificate_batch_create(actor=coordinator, project=edition.project)
    certificate_batch_run(batch=batch)
    by_course = {
        c.course_title: _stored_text(c) for c in Certificate.objects.filter(batch=batch)
    }
    assert "Dla wszystkich" in by_course[module.course.title]
    workshop_text = by_course["Warsztaty dla władz gmin"]
    assert "Dla warsztatów" in workshop_text
    assert "o udziale w warsztatach" in workshop_text


# The coordinator's screens -------------------------------------------------------


def _form(edition, **changes) -> dict:
    data = {
        "name": "Zaświadczenie Liderów",
        "project": edition.project.pk,
        "course": "",
        "title": "ZAŚWIADCZENIE",
        "subtitle": "o ukończeniu szkolenia",
        "intro": "Niniejszym zaświadcza się, że",
        "body": "{completed} szkolenie „{course}” ({hours} godz.).",
        "topics_heading": "Program",
        "place": "Kielce",
        "signatory_name": "Podgląd Podpisujący",
        "signatory_role": "Dyrektor",
        "second_signatory_name": "",
        "second_signatory_role": "",
        "footer": "",
        "accent_colour": "#0b4a6f",
        "logo_1": "",
        "logo_2": "",
        "logo_3": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_previews_the_unsaved_template_as_a_pdf(
    client, edition, coordinator
):
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_certificates_certificatelayout:preview_on_add")
    posted = client.post(url, _form(edition))
    assert posted.json()["is_valid"] is True
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Anna Przykładowa" in text and "Podgląd Podpisujący" in text
    assert (
        "ukończyła szkolenie „Praca socjalna z rodziną w kryzysie” (24 godz.)" in text
    )
    assert not CertificateLayout.objects.exists()  # a preview saves nothing
    # An invalid form is not previewed: the errors are the form's.
    posted = client.post(url, _form(edition, body="{kurs}"))
    assert posted.json()["is_valid"] is False


def test_a_coordinator_creates_and_edits_a_template_each_save_a_version(
    client, edition, coordinator
):
    client.force_login(coordinator)
    add = reverse("wagtailsnippets_certificates_certificatelayout:add")
    response = client.post(add, _form(edition))
    assert response.status_code == 302
    layout = CertificateLayout.objects.get()
    assert (layout.version, layout.updated_by) == (1, coordinator)
    edit = reverse(
        "wagtailsnippets_certificates_certificatelayout:edit", args=[layout.pk]
    )
    response = client.post(edit, _form(edition, signatory_name="Nowa Osoba"))
    assert response.status_code == 302
    layout.refresh_from_db()
    assert (layout.version, layout.signatory_name) == (2, "Nowa Osoba")
    # The second project-wide template is refused on the form, in Polish.
    response = client.post(add, _form(edition, name="Drugi"))
    assert response.status_code == 200
    assert "ma już szablon zaświadczenia dla wszystkich szkoleń" in (
        response.content.decode()
    )


def test_trainees_and_trainers_cannot_open_the_templates(client, edition):
    from courses import roles
    from tests.factories import UserFactory

    for role in (roles.TRAINER, roles.TRAINEE):
        client.force_login(UserFactory(role=role))
        response = client.get(
            reverse("wagtailsnippets_certificates_certificatelayout:list")
        )
        assert response.status_code in (302, 403)
