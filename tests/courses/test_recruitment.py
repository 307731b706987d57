"""A call for counties and municipalities: apply, deadline, score, rank, select, tell."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses import roles
from courses.errors import RuleError
from courses.models import Voivodeship
from courses.models.recruitment import (
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallApplication,
    CallPlaces,
    Criterion,
    CriterionKind,
    LocalAuthorityKind,
    TieRule,
)
from courses.services.recruitment import (
    ApplicationForm,
    CallError,
    application_set_manual_points,
    call_application_submit,
    call_publish_results,
    call_ranking,
    call_select,
    criterion_points,
)
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNTY = LocalAuthorityKind.COUNTY
GMINA = LocalAuthorityKind.URBAN_RURAL_MUNICIPALITY
HOUR = datetime.timedelta(hours=1)


def make_call(*, counties=3, gminas=5, deadline=None, **kwargs) -> Call:
    call = Call.objects.create(
        project=ProjectFactory(contact_name="Renata Mach"),
        code=kwargs.pop("code", "kooperacja-lubuskie"),
        title="Kooperacja – efektywna i skuteczna: nabór",
        voivodeship=Voivodeship.objects.get(name="lubuskie"),
        deadline=deadline or timezone.now() + 24 * HOUR,
        **kwargs,
    )
    CallPlaces.objects.create(call=call, kind=COUNTY, places=counties)
    CallPlaces.objects.create(call=call, kind=GMINA, places=gminas)
    Criterion.objects.create(
        call=call,
        name="Dochód gminy na jednego mieszkańca",
        kind=CriterionKind.NUMBER,
        unit="zł",
        thresholds="0: 3\n2500: 2\n3500: 1",
        order=1,
    )
    Criterion.objects.create(
        call=call,
        name="Liczba rodzin korzystających z pomocy społecznej",
        kind=CriterionKind.NUMBER,
        thresholds="0: 0\n200: 1\n500: 2",
        order=2,
    )
    Criterion.objects.create(
        call=call,
        name="Doświadczenie w realizacji projektów",
        kind=CriterionKind.YES_NO,
        points_yes=Decimal(2),
        order=3,
    )
    return call


def criteria(call):
    income, families, experience = call.criteria.all()
    return income, families, experience


def apply(call, authority, *, kind=GMINA, income=3000, families=300, experience=True,
          at=None, attachments=()):  # fmt: skip
    income_c, families_c, experience_c = criteria(call)
    return call_application_submit(
        call=call,
        representative=UserFactory(role=roles.TRAINEE),
        form=ApplicationForm(
            kind=kind,
            authority=authority,
            institution=f"Urząd – {authority}",
            contact_phone="68 000 00 00",
            answers={
                income_c.pk: Decimal(income),
                families_c.pk: Decimal(families),
                experience_c.pk: experience,
            },
            attachments=attachments,
        ),
        at=at,
    )


def close(call):
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - HOUR)
    call.refresh_from_db()


def test_thresholds_score_the_highest_reached():
    call = make_call()
    income, _families, experience = criteria(call)
    assert criterion_points(criterion=income, number=Decimal(1000)) == 3
    assert criterion_points(criterion=income, number=Decimal(2500)) == 2
    assert criterion_points(criterion=income, number=Decimal(9000)) == 1
    assert criterion_points(criterion=experience, yes=True) == 2
    assert criterion_points(criterion=experience, yes=False) == 0


def test_an_application_is_scored_when_taken_and_keeps_its_points():
    call = make_call()
    application = apply(call, "Gmina Kożuchów", income=2000, families=600)
    assert sorted(a.points for a in application.answers.all()) == [2, 2, 3]
    income, _f, _e = criteria(call)
    income.thresholds = "0: 10"
    income.save()
    assert call_ranking(call=call)[0].total == 7


def test_after_the_deadline_the_form_is_closed():
    call = make_call(deadline=timezone.now() - HOUR)
    with pytest.raises(CallError) as closed:
        apply(call, "Gmina Szlichtyngowa")
    assert closed.value.code == "closed"
    assert "zakończył" in str(closed.value)
    assert not CallApplication.objects.exists()


def test_bad_answers_write_nothing():
    call = make_call()
    with pytest.raises(CallError):
        apply(call, "Gmina Bytom Odrzański", income=-5)
    with pytest.raises(CallError):
        apply(call, "Gmina Bytom Odrzański", experience=None)
    with pytest.raises(CallError):
        apply(call, "Gmina Bytom Odrzański", kind=LocalAuthorityKind.RURAL_MUNICIPALITY)
    assert not CallApplication.objects.exists()


def test_one_application_per_authority_and_a_bad_attachment_leaves_no_row():
    call = make_call()
    apply(call, "Powiat nowosolski", kind=COUNTY)
    with pytest.raises(CallError) as twice:
        apply(call, "Powiat nowosolski", kind=COUNTY)
    assert twice.value.code == "authority"
    bad = SimpleUploadedFile("wniosek.exe", b"MZ\x90\x00 not a scan")
    with pytest.raises(RuleError):
        apply(call, "Powiat żarski", kind=COUNTY, attachments=[bad])
    assert CallApplication.objects.count() == 1
    pdf = SimpleUploadedFile("diagnoza.pdf", b"%PDF-1.4\n%%EOF\n")
    apply(call, "Powiat żarski", kind=COUNTY, attachments=[pdf])
    assert ApplicationAttachment.objects.get().file.read().startswith(b"%PDF")


def test_manual_points_need_a_justification():
    call = make_call()
    application = apply(call, "Gmina Nowogród Bobrzański")
    with pytest.raises(CallError) as unjustified:
        application_set_manual_points(
            application=application, points=Decimal(2), reason=" ", actor=None
        )
    assert unjustified.value.code == "reason"
    application_set_manual_points(
        application=application,
        points=Decimal("1.5"),
        reason="Zdiagnozowany koszyk usług (załącznik).",
        actor=None,
    )
    assert call_ranking(call=call)[0].total == Decimal("6.5")


def test_ties_follow_the_stated_rule_then_the_earlier_application():
    call = make_call(tie_rule=TieRule.CRITERION_HIGH)
    _income, families, _e = criteria(call)
    call.tie_criterion = families
    call.save()
    now = timezone.now()
    first = apply(call, "Gmina A", families=300, at=now - 3 * HOUR)
    more_families = apply(call, "Gmina B", families=400, at=now - 2 * HOUR)
    same_later = apply(call, "Gmina C", families=300, at=now - HOUR)
    order = [row.application for row in call_ranking(call=call)]
    assert order == [more_families, first, same_later]

    call.tie_rule = TieRule.EARLIER
    call.save()
    order = [row.application for row in call_ranking(call=call)]
    assert order == [first, more_families, same_later]


def test_selection_by_rank_per_kind_with_a_reason_for_everyone():
    call = make_call(counties=1, gminas=2)
    top = apply(call, "Gmina Kożuchów", income=1000, families=600)  # 3+2+2
    second = apply(call, "Gmina Sława", income=3000, families=600)  # 2+2+2
    third = apply(call, "Gmina Czerwieńsk", income=4000, families=100)  # 1+0+2
    county = apply(call, "Powiat nowosolski", kind=COUNTY)
    with pytest.raises(CallError) as early:
        call_select(call=call, diversity=False, actor=None)
    assert early.value.code == "open"
    close(call)
    call_select(call=call, diversity=False, actor=None)
    for application in (top, second, third, county):
        application.refresh_from_db()
        assert application.result_reason
    assert [a.status for a in (top, second, third, county)] == [
        ApplicationStatus.SELECTED,
        ApplicationStatus.SELECTED,
        ApplicationStatus.NOT_SELECTED,
        ApplicationStatus.SELECTED,
    ]
    assert "miejsce 3" in third.result_reason


def test_diversity_takes_the_best_of_each_income_band_first():
    call = make_call(counties=1, gminas=2)
    income, _f, _e = criteria(call)
    call.diversity_criterion = income
    call.save()
    poor_a = apply(call, "Gmina A", income=1000, families=600)  # 7
    poor_b = apply(call, "Gmina B", income=1200, families=600)  # 7
    rich = apply(call, "Gmina C", income=4000, families=100)  # 3, its own band
    close(call)
    call_select(call=call, diversity=True, actor=None)
    statuses = {
        a.authority: a.status
        for a in CallApplication.objects.filter(pk__in=[poor_a.pk, poor_b.pk, rich.pk])
    }
    assert statuses == {
        "Gmina A": ApplicationStatus.SELECTED,
        "Gmina B": ApplicationStatus.NOT_SELECTED,
        "Gmina C": ApplicationStatus.SELECTED,
    }
    call_select(call=call, diversity=False, actor=None)
    rich.refresh_from_db()
    assert rich.status == ApplicationStatus.NOT_SELECTED


def test_results_go_to_every_applicant_once_and_then_nothing_changes(
    django_capture_on_commit_callbacks,
):
    call = make_call(counties=1, gminas=1)
    chosen = apply(call, "Gmina Kożuchów", income=1000)
    apply(call, "Gmina Sława", income=4000)
    close(call)
    with pytest.raises(CallError) as undecided:
        call_publish_results(call=call, actor=None)
    assert undecided.value.code == "undecided"
    call_select(call=call, diversity=False, actor=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert call_publish_results(call=call, actor=None) == 2
    assert len(mail.outbox) == 2
    assert any("Wybrano" in message.body for message in mail.outbox)
    assert all("Renata Mach" in message.body for message in mail.outbox)
    with pytest.raises(CallError):
        call_select(call=call, diversity=False, actor=None)
    with pytest.raises(CallError):
        application_set_manual_points(
            application=chosen, points=Decimal(1), reason="po terminie", actor=None
        )
