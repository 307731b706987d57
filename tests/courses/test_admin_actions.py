"""The coordinator's actions on enrolments and editions, through the admin."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import roles
from courses.models import (
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    Institution,
    InstitutionType,
    Position,
    Voivodeship,
)
from courses.services import enrolment_create, enrolment_mark_declaration_received
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR, first_name="Ewa", last_name="Zając")
    client.force_login(user)
    return user


@pytest.fixture
def project():
    project = ProjectFactory(requires_approval=True)
    QuotaFactory(project=project, size=10, regions=["śląskie"])
    return project


def pending(project, **edition_kwargs):
    edition = EditionFactory(project=project, **edition_kwargs)
    return enrolment_create(trainee=TraineeFactory(), edition=edition)


def url(name, obj):
    return reverse(f"training_enrolments:{name}", args=[obj.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_approve_confirms_and_records_who(client, coordinator, project):
    enrolment = pending(project)
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    response = client.post(url("approve", enrolment), follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED
    last = enrolment.events.last()
    assert (last.from_status, last.to_status, last.actor) == (
        S.PENDING,
        S.CONFIRMED,
        coordinator,
    )
    assert response.redirect_chain[-1][0] == url("inspect", enrolment)
    assert any("zatwierdzone" in m for m in messages_of(response))


def test_approve_without_declaration_says_why_and_changes_nothing(
    client, coordinator, project
):
    enrolment = pending(project)
    response = client.post(url("approve", enrolment), follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == S.PENDING
    assert "Nie otrzymano jeszcze podpisanego oświadczenia." in messages_of(response)


def test_mark_declaration_received_on_paper(client, coordinator, project):
    enrolment = pending(project)
    response = client.post(url("declaration", enrolment), follow=True)
    enrolment.refresh_from_db()
    assert enrolment.declaration_on_paper
    assert enrolment.declaration_received_at is not None
    assert enrolment.status == S.PENDING
    assert enrolment.events.last().actor == coordinator
    assert "Dostarczone na papierze" in response.content.decode()
    # A second time is refused: the paper is already in.
    response = client.post(url("declaration", enrolment), follow=True)
    assert "Podpisane oświadczenie zostało już dostarczone." in messages_of(response)


def test_reject_with_reason(client, coordinator, project):
    enrolment = pending(project)
    client.post(url("reject", enrolment), {"reason": "Nie spełnia kryteriów."})
    enrolment.refresh_from_db()
    assert enrolment.status == S.REJECTED
    last = enrolment.events.last()
    assert (last.reason, last.actor) == ("Nie spełnia kryteriów.", coordinator)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_reason_shows_the_error_and_changes_nothing(
    client, coordinator, project, reason
):
    enrolment = pending(project)
    response = client.post(url("reject", enrolment), {"reason": reason})
    assert response.status_code == 200
    assert "Podaj powód odrzucenia." in response.content.decode()
    assert response.context["form"].errors["reason"] == ["Podaj powód odrzucenia."]
    enrolment.refresh_from_db()
    assert enrolment.status == S.PENDING
    assert enrolment.events.count() == 1


def test_coordinator_withdraws_even_after_the_start(client, coordinator, project):
    enrolment = pending(project, start_date=timezone.localdate())
    client.post(url("withdraw", enrolment), {"reason": "Rezygnacja telefoniczna"})
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    assert enrolment.events.last().reason == "Rezygnacja telefoniczna"


def test_withdrawal_promotes_the_waiting_list(client, coordinator, project):
    full = EditionFactory(project=project, capacity=1)
    first = enrolment_create(trainee=TraineeFactory(), edition=full)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=full)
    assert waiting.status == S.WAITLISTED
    client.post(url("withdraw", first), {"reason": ""})
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING


def test_move_to_another_edition_of_the_project(client, coordinator, project):
    enrolment = pending(project)
    target = EditionFactory(project=project, course=enrolment.edition.course)
    other_project = EditionFactory()
    page = client.get(url("move", enrolment))
    choices = [pk for pk, _label in page.context["form"].fields["to_edition"].choices]
    assert choices == [target.pk]
    assert other_project.pk not in choices
    response = client.post(url("move", enrolment), {"to_edition": target.pk})
    moved = Enrolment.objects.get(edition=target)
    assert response.url == url("inspect", moved)
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    assert moved.status == S.PENDING
    assert moved.events.last().actor == coordinator


def test_move_to_a_full_edition_is_refused(client, coordinator, project):
    enrolment = pending(project)
    full = EditionFactory(project=project, capacity=1)
    enrolment_create(trainee=TraineeFactory(), edition=full)
    response = client.post(url("move", enrolment), {"to_edition": full.pk})
    assert response.status_code == 200
    assert "W docelowej edycji nie ma wolnego miejsca." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == S.PENDING


def test_inspect_shows_the_history_and_the_actions(client, coordinator, project):
    enrolment = pending(project)
    client.post(
        url("reject", enrolment), {"reason": "Brak zaświadczenia o zatrudnieniu"}
    )
    page = client.get(url("inspect", enrolment)).content.decode()
    assert "Historia statusu" in page
    assert "oczekuje na zatwierdzenie" in page
    assert "odrzucone" in page
    assert "Brak zaświadczenia o zatrudnieniu" in page
    assert "Ewa Zając" in page
    assert "Jeszcze nie dotarło." in page
    # A rejected enrolment offers no more actions.
    assert url("approve", enrolment) not in page


def test_raising_the_capacity_promotes_the_waiting_list(client, coordinator, project):
    edition = EditionFactory(project=project, capacity=1)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert waiting.status == S.WAITLISTED
    response = client.post(
        reverse("training_editions:capacity", args=[edition.pk]),
        {"capacity": 2},
        follow=True,
    )
    edition.refresh_from_db()
    waiting.refresh_from_db()
    assert edition.capacity == 2
    assert waiting.status == S.PENDING
    assert waiting.events.last().reason == "Zwolniło się miejsce."
    assert any("1 osoba z listy rezerwowej" in m for m in messages_of(response))


def test_capacity_below_the_seats_taken_is_refused(client, coordinator, project):
    edition = EditionFactory(project=project, capacity=2)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    response = client.post(
        reverse("training_editions:capacity", args=[edition.pk]), {"capacity": 1}
    )
    assert response.status_code == 200
    error = "Zajęto już 2 miejsc: liczba miejsc nie może być mniejsza."
    assert response.context["form"].non_field_errors() == [error]
    edition.refresh_from_db()
    assert edition.capacity == 2


def test_the_edit_form_does_not_change_the_capacity(client, coordinator, project):
    edition = EditionFactory(project=project, capacity=5)
    edit_url = reverse("training_editions:edit", args=[edition.pk])
    form = client.get(edit_url).context["form"]
    assert "capacity" not in form.fields
    data = {
        "course": edition.course_id,
        "project": project.pk,
        "code": edition.code,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "delivery_mode": edition.delivery_mode,
        "city": "Opole",
        "venue": "",
        "online_link": "",
        "capacity": 50,
        "min_group_size": 0,
        "enrolment_opens": timezone.localtime(edition.enrolment_opens).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "enrolment_closes": timezone.localtime(edition.enrolment_closes).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "is_published": "on",
    }
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    edition.refresh_from_db()
    assert (edition.city, edition.capacity) == ("Opole", 5)


def test_eligibility_rule_form_saves_ticked_choices_as_lists(
    client, coordinator, project
):
    add_url = reverse("training_rules:add") + f"?project={project.pk}"
    page = client.get(add_url)
    assert page.context["form"].initial["project"] == str(project.pk)
    slaskie = Voivodeship.objects.get(name="śląskie")
    response = client.post(
        add_url,
        {
            "project": project.pk,
            "name": "Pracownicy socjalni OPS i MOPS",
            "institution_types": [InstitutionType.OPS, InstitutionType.MOPS],
            "positions": [Position.SOCIAL_WORKER],
            "voivodeships": [slaskie.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    rule = EligibilityRule.objects.get(project=project)
    assert rule.institution_types == ["ops", "mops"]
    assert rule.positions == ["social_worker"]
    assert list(rule.voivodeships.all()) == [slaskie]
    edit = client.get(reverse("training_rules:edit", args=[rule.pk]))
    assert edit.context["form"]["institution_types"].value() == ["ops", "mops"]
    assert 'value="ops"' in edit.content.decode()


def test_institution_with_a_wrong_regon_is_refused(client, coordinator):
    response = client.post(
        reverse("training_institutions:add"),
        {
            "name": "GOPS Ozimek",
            "type": InstitutionType.OPS,
            "voivodeship": Voivodeship.objects.get(name="opolskie").pk,
            "county": "opolski",
            "municipality": "Ozimek",
            "regon": "123456789",
        },
    )
    assert response.status_code == 200
    assert "regon" in response.context["form"].errors
    assert not Institution.objects.filter(name="GOPS Ozimek").exists()


def test_approve_is_offered_only_when_possible(client, coordinator, project):
    enrolment = pending(project)
    page = client.get(url("inspect", enrolment)).content.decode()
    # No declaration yet: no approving form, a disabled button that says what is missing.
    assert f'action="{url("approve", enrolment)}"' not in page
    assert "Zatwierdź: podpisane oświadczenie jeszcze nie dotarło" in page
    assert 'data-action-missing="approve"' in page
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    page = client.get(url("inspect", enrolment)).content.decode()
    assert f'action="{url("approve", enrolment)}"' in page
    assert "jeszcze nie dotarło" not in page


@pytest.mark.parametrize("action", ["reject", "withdraw"])
def test_reject_and_withdraw_say_what_will_happen_first(
    client, coordinator, project, action
):
    enrolment = pending(project)
    page = client.get(url(action, enrolment)).content.decode()
    assert enrolment.trainee.full_name in page
    assert "listy rezerwowej" in page
    assert "Tego nie można cofnąć" in page
    enrolment.refresh_from_db()
    assert enrolment.status == S.PENDING
