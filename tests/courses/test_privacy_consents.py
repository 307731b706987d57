"""Information clauses and consents: versioned, shown, recorded, withdrawn, asked again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from courses import roles
from courses.documents import render_application_pdf
from courses.models import (
    ClauseAcknowledgement,
    ConsentHow,
    ConsentPurpose,
    ConsentRecord,
    InformationClause,
)
from courses.services import enrolment_create
from courses.services.privacy import (
    clause_current,
    clause_publish,
    consent_is_given,
    consent_text_publish,
    consents_record,
    consents_to_reask,
)
from tests.factories import EditionFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    "controllers": "Administratorem jest Zarząd Województwa Śląskiego (IZ RPO).",
    "dpo": "Inspektor ochrony danych: iod@rops.example.pl",
    "purposes": "Realizacja projektu, art. 6 ust. 1 lit. c RODO.",
    "recipients": "Partnerzy projektu, system SL2014.",
    "retention": "Do dnia zamknięcia archiwum projektu.",
}


@pytest.fixture
def platform_clause():
    return clause_publish(project=None, sections=SECTIONS, actor=None)


@pytest.fixture
def image_consent():
    purpose = ConsentPurpose.objects.create(code="wizerunek", name="Wizerunek")
    return consent_text_publish(
        purpose=purpose, text="Zgadzam się na publikację mojego wizerunku.", actor=None
    )


def test_a_new_clause_version_keeps_the_old_one_as_published(platform_clause):
    second = clause_publish(
        project=None, sections={**SECTIONS, "dpo": "iod2@rops.example.pl"}, actor=None
    )
    assert (platform_clause.version, second.version) == (1, 2)
    assert clause_current(project=None) == second
    platform_clause.refresh_from_db()
    assert platform_clause.dpo == SECTIONS["dpo"]
    assert "Urzędu Ochrony Danych Osobowych" in second.complaint  # the default


def test_a_clause_missing_a_required_section_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        clause_publish(project=None, sections={**SECTIONS, "dpo": ""}, actor=None)
    assert "dpo" in error.value.message_dict
    assert not InformationClause.objects.exists()


def test_signup_shows_the_clause_and_records_consents_with_version_time_and_how(
    client, platform_clause, image_consent
):
    newsletter = consent_text_publish(
        purpose=ConsentPurpose.objects.create(code="newsletter", name="Newsletter"),
        text="Chcę otrzymywać newsletter.",
        actor=None,
    )
    page = client.get("/konto/signup/").content.decode()
    assert "Administratorem jest Zarząd Województwa Śląskiego" in page
    assert "Zgadzam się na publikację mojego wizerunku." in page
    response = client.post(
        "/konto/signup/",
        {
            "email": "nowa@example.pl",
            "password1": "Trudne-haslo-2026",
            "password2": "Trudne-haslo-2026",
            f"consent_{image_consent.pk}": "on",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nowa@example.pl")
    record = ConsentRecord.objects.get(user=user)
    assert (record.text, record.given, record.how) == (
        image_consent,
        True,
        ConsentHow.SIGNUP,
    )
    assert record.at is not None
    assert not ConsentRecord.objects.filter(text=newsletter).exists()
    assert ClauseAcknowledgement.objects.get(user=user).clause == platform_clause


def test_a_consent_is_withdrawn_as_easily_as_given(client, image_consent):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("courses:my_data")).content.decode()
    assert "Zgadzam się na publikację mojego wizerunku." in page
    client.post(reverse("courses:consents_save"), {f"consent_{image_consent.pk}": "on"})
    assert consent_is_given(user=user, purpose="wizerunek")
    client.post(reverse("courses:consents_save"), {})
    assert not consent_is_given(user=user, purpose="wizerunek")
    history = list(
        ConsentRecord.objects.filter(user=user)
        .order_by("id")
        .values_list("given", "how")
    )
    assert history == [(True, "account"), (False, "account")]


def test_a_new_text_asks_again_only_those_who_consented_to_the_old_one(
    client, image_consent
):
    gave, declined, withdrew = UserFactory(), UserFactory(), UserFactory()
    consents_record(user=gave, decisions={image_consent.pk: True}, how="account")
    consents_record(user=declined, decisions={image_consent.pk: False}, how="account")
    consents_record(user=withdrew, decisions={image_consent.pk: True}, how="account")
    consents_record(user=withdrew, decisions={image_consent.pk: False}, how="account")
    new = consent_text_publish(
        purpose=image_consent.purpose,
        text="Zgadzam się na publikację wizerunku także w mediach społecznościowych.",
        actor=None,
    )
    assert consents_to_reask(user=gave) == [new]
    assert consents_to_reask(user=declined) == []
    assert consents_to_reask(user=withdrew) == []
    # The old consent does not cover the new wording until it is confirmed.
    assert not consent_is_given(user=gave, purpose="wizerunek")

    client.force_login(declined)
    assert (
        "data-consent-reminder"
        not in client.get(reverse("courses:privacy")).content.decode()
    )
    client.force_login(gave)
    assert (
        "data-consent-reminder"
        in client.get(reverse("courses:privacy")).content.decode()
    )
    client.post(reverse("courses:consents_save"), {f"consent_{new.pk}": "on"})
    assert consent_is_given(user=gave, purpose="wizerunek")
    assert ConsentRecord.objects.filter(user=gave).first().how == ConsentHow.REASKED
    assert (
        "data-consent-reminder"
        not in client.get(reverse("courses:privacy")).content.decode()
    )


def test_only_current_texts_can_be_recorded(image_consent):
    consent_text_publish(purpose=image_consent.purpose, text="Nowa treść", actor=None)
    with pytest.raises(ValueError):
        consents_record(
            user=UserFactory(), decisions={image_consent.pk: True}, how="account"
        )
    assert not ConsentRecord.objects.exists()


def test_the_project_clause_is_shown_before_enrolling_and_its_version_recorded(
    client, platform_clause
):
    edition = EditionFactory(is_published=True)
    clause = clause_publish(project=edition.project, sections=SECTIONS, actor=None)
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    page = client.get(reverse("courses:edition", args=[edition.pk])).content.decode()
    link = reverse("courses:privacy_clause", args=[clause.pk])
    assert link in page and f'name="clause" value="{clause.pk}"' in page
    client.post(reverse("courses:enrol", args=[edition.pk]), {"clause": clause.pk})
    ack = ClauseAcknowledgement.objects.get(user=trainee.user)
    assert (ack.clause, ack.how) == (clause, "enrolment")


def test_the_application_pdf_carries_the_projects_clause(platform_clause):
    edition = EditionFactory()
    clause_publish(
        project=edition.project,
        sections={**SECTIONS, "controllers": "Administrator projektu: ROPS Katowice"},
        actor=None,
    )
    enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    text = "".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(render_application_pdf(enrolment=enrolment))
        ).pages
    )
    assert "klauzula informacyjna" in text.casefold()
    assert "Administrator projektu: ROPS Katowice" in text


def test_the_public_privacy_page_has_the_clauses_and_the_cookies(
    client, platform_clause
):
    edition = EditionFactory()
    clause = clause_publish(project=edition.project, sections=SECTIONS, actor=None)
    page = client.get(reverse("courses:privacy")).content.decode()
    assert "Administratorem jest Zarząd Województwa Śląskiego" in page
    assert reverse("courses:privacy_clause", args=[clause.pk]) in page
    assert "sessionid" in page and "csrftoken" in page
    old = client.get(reverse("courses:privacy_clause", args=[platform_clause.pk]))
    assert old.status_code == 200


def test_coordinators_publish_a_new_version_from_the_admin(client, platform_clause):
    coordinator = UserFactory(role=roles.COORDINATOR)
    client.force_login(coordinator)
    add = reverse("privacy_clauses:add")
    form = client.get(f"{add}?from={platform_clause.pk}").content.decode()
    assert SECTIONS["controllers"] in form
    data = {**SECTIONS, "project": "", "rights": "Prawa", "complaint": "PUODO"}
    data["dpo"] = "Nowy inspektor: iod-nowy@rops.example.pl"
    response = client.post(add, data)
    assert response.status_code == 302
    newest = clause_current(project=None)
    assert (newest.version, newest.dpo, newest.published_by) == (
        2,
        data["dpo"],
        coordinator,
    )
    # Published versions are not edited: coordinators have no change permission.
    edit = client.get(reverse("privacy_clauses:edit", args=[platform_clause.pk]))
    assert edit.status_code in (302, 403)
