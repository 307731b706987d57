"""What each person's menu, account page and userbar offer, from the demo accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.context_processors import user_edits_pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
USERBAR = "w-userbar"


def login(client, email):
    client.force_login(get_user_model().objects.get(email=email))


def menu(body: str) -> str:
    return body[body.index('id="site-menu"') : body.index("</nav>")]


def test_partner_clerk_gets_data_export_and_no_trainee_prompt(demo_data, client):
    login(client, "partner@szkolenia.test")
    body = client.get(reverse("my_account")).content.decode()
    nav = menu(body)
    assert reverse("courses:partner_export") in nav
    assert "Eksport danych" in nav
    assert reverse("courses:my_enrolments") not in nav
    assert "Uzupełnij profil" not in body
    assert reverse("courses:profile") not in body
    assert "Przejdź do eksportu danych" in body  # the next step
    home = client.get("/").content.decode()
    assert USERBAR not in home  # edits no pages


def test_a_new_account_is_told_to_complete_the_profile(demo_data, client):
    client.force_login(UserFactory())
    body = client.get(reverse("my_account")).content.decode()
    assert "Twój następny krok" in body
    assert f'href="{reverse("courses:profile")}"' in body
    assert "Uzupełnij profil" in body
    assert reverse("courses:my_enrolments") in menu(body)
    assert USERBAR not in client.get("/").content.decode()


def test_a_trainee_with_a_profile_is_sent_to_the_dates(demo_data, client):
    login(client, "spoza@szkolenia.test")
    body = client.get(reverse("my_account")).content.decode()
    assert "Zobacz terminy szkoleń" in body


def test_trainer_and_coordinator(demo_data, client):
    login(client, "trener@szkolenia.test")
    body = client.get(reverse("my_account")).content.decode()
    assert "Przejdź do „Moich grup”" in body
    assert reverse("courses:my_enrolments") not in menu(body)
    assert USERBAR in client.get("/").content.decode()  # edits their course pages
    login(client, "koordynator@szkolenia.test")
    body = client.get(reverse("my_account")).content.decode()
    assert "Zobacz, co jest do zrobienia" in body
    assert USERBAR in client.get("/").content.decode()  # edits pages


def test_who_edits_pages_is_answered_as_wagtails_policy_does(demo_data):
    adder = _with_page_permission("dodaje@example.pl", "add_page")
    _with_page_permission("blokuje@example.pl", "lock_page")
    people = list(get_user_model().objects.all())
    assert len(people) > 5
    answers = set()
    for person in people:
        fresh = get_user_model().objects.get(pk=person.pk)
        expected = PagePermissionPolicy().user_has_any_permission(
            fresh, ["add", "change", "publish"]
        )
        assert user_edits_pages(get_user_model().objects.get(pk=person.pk)) == expected
        answers.add(expected)
    assert answers == {True, False}  # both kinds of people are among them
    adder.is_active = False
    assert user_edits_pages(adder) is False


def _with_page_permission(email: str, codename: str):
    """A new account in a group of its own holding one permission on the home page."""
    person = get_user_model().objects.create_user(email, "x")
    group = Group.objects.create(name=f"Grupa {email}")
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(depth=2),
        permission=Permission.objects.get(codename=codename),
    )
    person.groups.add(group)
    return person
