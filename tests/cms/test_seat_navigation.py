"""What each person's menu, account page and userbar offer, from the demo accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

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
