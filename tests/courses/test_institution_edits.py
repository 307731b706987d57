"""A trainee's edit of their institution: saved when it is theirs, proposed when shared."""

import pytest
from django.urls import reverse

from courses import roles
from courses.errors import RuleError
from courses.models import Institution, InstitutionChange, TraineeProfile, Voivodeship
from courses.services.profiles import (
    institution_change_confirm,
    institution_change_reject,
)
from tests.factories import InstitutionFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db
NAME = "Miejski Ośrodek Pomocy Społecznej w Gliwicach"


def _form(institution: Institution, **changes) -> dict:
    data = {
        "first_name": "Zofia",
        "last_name": "Żółkiewska",
        "gender": "K",
        "position": "social_worker",
        "education": "5-8",
        "phone": "",
        "pesel": "",
        "institution-name": institution.name,
        "institution-type": institution.type,
        "institution-voivodeship": institution.voivodeship_id,
        "institution-county": institution.county,
        "institution-municipality": institution.municipality,
        "institution-regon": institution.regon,
    }
    data.update({f"institution-{key}": value for key, value in changes.items()})
    return data


@pytest.fixture
def gliwice():
    return InstitutionFactory(
        name=NAME, type="mops", county="Gliwice", municipality="Gliwice"
    )


@pytest.fixture
def zofia(client, gliwice):
    trainee = TraineeFactory(institution=gliwice, first_name="Zofia")
    client.force_login(trainee.user)
    return trainee


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_institution_of_one_trainee_is_theirs_to_edit(client, zofia, gliwice):
    response = client.post(
        reverse("courses:profile"),
        _form(gliwice, type="mopr", county="gliwicki", regon="123456785"),
        follow=True,
    )
    assert _messages(response) == ["Profil został zapisany."]
    gliwice.refresh_from_db()
    assert (gliwice.type, gliwice.county, gliwice.regon) == (
        "mopr",
        "gliwicki",
        "123456785",
    )
    assert not InstitutionChange.objects.exists()


def test_a_shared_institution_is_proposed_never_saved_silently(client, zofia, gliwice):
    colleague = TraineeFactory(institution=gliwice)
    response = client.post(
        reverse("courses:profile"),
        _form(gliwice, type="mopr", regon="123456785"),
        follow=True,
    )
    (message,) = _messages(response)
    assert "Profil został zapisany." not in message
    assert "koordynator" in message and NAME in message
    gliwice.refresh_from_db()
    assert (gliwice.type, gliwice.regon) == ("mops", "")  # unchanged for the colleague
    change = InstitutionChange.objects.get()
    assert (change.institution, change.proposed_by) == (gliwice, zofia)
    assert (change.type, change.regon, change.county) == (
        "mopr",
        "123456785",
        "Gliwice",
    )
    assert change.status == InstitutionChange.Status.PENDING
    colleague.refresh_from_db()
    assert colleague.institution.type == "mops"
    page = client.get(reverse("courses:profile")).content.decode()
    assert "data-pending-institution-change" in page
    assert "123456785" in page


def test_the_reported_bug_same_name_elsewhere_reused_and_dropped(client, gliwice):
    """A new trainee naming an existing shared institution with other details."""
    TraineeFactory(institution=gliwice)
    newcomer = UserFactory()
    client.force_login(newcomer)
    client.post(reverse("courses:profile"), _form(gliwice, county="gliwicki"))
    trainee = TraineeProfile.objects.get(user=newcomer)
    assert trainee.institution == gliwice
    change = InstitutionChange.objects.get(proposed_by=trainee)
    assert change.county == "gliwicki"  # kept, not dropped


def test_another_name_moves_the_trainee_and_leaves_the_shared_one(
    client, zofia, gliwice
):
    TraineeFactory(institution=gliwice)
    client.post(
        reverse("courses:profile"),
        _form(gliwice, name="Powiatowe Centrum Pomocy Rodzinie", type="pcpr"),
    )
    zofia.refresh_from_db()
    assert zofia.institution != gliwice
    assert zofia.institution.name == "Powiatowe Centrum Pomocy Rodzinie"
    gliwice.refresh_from_db()
    assert gliwice.name == NAME
    assert not InstitutionChange.objects.exists()


def test_a_new_edit_replaces_the_pending_proposal_and_an_agreeing_one_drops_it(
    client, zofia, gliwice
):
    TraineeFactory(institution=gliwice)
    url = reverse("courses:profile")
    client.post(url, _form(gliwice, type="mopr"))
    client.post(url, _form(gliwice, type="ops"))
    assert InstitutionChange.objects.get().type == "ops"
    client.post(url, _form(gliwice))  # the data as they are: nothing to propose
    assert not InstitutionChange.objects.exists()


@pytest.fixture
def proposal(client, zofia, gliwice):
    TraineeFactory(institution=gliwice)
    client.post(reverse("courses:profile"), _form(gliwice, type="mopr", county="X"))
    return InstitutionChange.objects.get()


def test_a_coordinator_confirms_it_for_everyone(proposal, gliwice):
    coordinator = UserFactory(role=roles.COORDINATOR)
    institution_change_confirm(change=proposal, actor=coordinator)
    gliwice.refresh_from_db()
    assert (gliwice.type, gliwice.county) == ("mopr", "X")
    proposal.refresh_from_db()
    assert proposal.status == InstitutionChange.Status.CONFIRMED
    assert proposal.decided_by == coordinator
    with pytest.raises(RuleError):
        institution_change_reject(change=proposal, actor=coordinator)


def test_a_confirmation_that_breaks_a_rule_is_refused_whole(proposal, gliwice):
    InstitutionFactory(regon="123456785")
    proposal.regon = "123456785"
    proposal.save()
    with pytest.raises(RuleError, match="REGON"):
        institution_change_confirm(change=proposal, actor=UserFactory())
    gliwice.refresh_from_db()
    assert (gliwice.type, gliwice.regon) == ("mops", "")
    proposal.refresh_from_db()
    assert proposal.status == InstitutionChange.Status.PENDING


def test_the_coordinator_s_screens_compare_and_decide(client, proposal, gliwice):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    listing = client.get(reverse("training_institution_changes:index"))
    assert listing.status_code == 200 and NAME in listing.content.decode()
    inspect = client.get(
        reverse("training_institution_changes:inspect", args=[proposal.pk])
    ).content.decode()
    assert "data-institution-change" in inspect
    assert "MOPS" in inspect and "MOPR" in inspect
    confirm = reverse("training_institution_changes:confirm", args=[proposal.pk])
    asked = client.get(confirm)
    assert asked.status_code == 200  # a page that says what happens, then a POST
    assert "pracują 2 uczestnicy" in asked.content.decode()
    assert Institution.objects.get(pk=gliwice.pk).type == "mops"
    done = client.post(confirm)
    assert done.status_code == 302
    assert Institution.objects.get(pk=gliwice.pk).type == "mopr"


def test_trainees_and_partners_cannot_decide(client, proposal):
    confirm = reverse("training_institution_changes:confirm", args=[proposal.pk])
    for role in (roles.TRAINEE, roles.PARTNER, roles.TRAINER):
        client.force_login(UserFactory(role=role))
        assert client.post(confirm).status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.status == InstitutionChange.Status.PENDING
    assert Voivodeship.objects.exists()
