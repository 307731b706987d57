import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from courses import roles
from tests.factories import UserFactory


@pytest.mark.django_db
def test_sign_up_requires_email_confirmation_then_logs_in(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "nowa@example.pl",
            "password1": "Bardzo-trudne-haslo-1",
            "password2": "Bardzo-trudne-haslo-1",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nowa@example.pl")
    assert len(mail.outbox) == 1
    # Unconfirmed: login is refused until the link in the e-mail is followed.
    response = client.post(
        "/konto/login/",
        {"login": "nowa@example.pl", "password": "Bardzo-trudne-haslo-1"},
    )
    assert response.status_code == 302
    assert response.url == "/konto/confirm-email/"
    link = re.search(
        r"https?://[^\s]+/konto/confirm-email/[^\s]+", mail.outbox[0].body
    ).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.post(path).status_code == 302
    assert user.emailaddress_set.get().verified
    response = client.post(
        "/konto/login/",
        {"login": "nowa@example.pl", "password": "Bardzo-trudne-haslo-1"},
    )
    assert response.url == "/konto/"
    page = client.get("/konto/")
    assert "nowa@example.pl" in page.content.decode()


@pytest.mark.django_db
def test_sign_up_form_explains_errors_in_polish(client):
    response = client.post(
        "/konto/signup/", {"email": "zly-adres", "password1": "a", "password2": "b"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wprowadź poprawny adres email." in body
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
def test_account_page_needs_login(client):
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


@pytest.mark.django_db
def test_password_reset_sends_a_link(client):
    UserFactory(email="reset@example.pl")
    client.post("/konto/password/reset/", {"email": "reset@example.pl"})
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "reaches_admin"),
    [
        (roles.TRAINEE, False),
        (roles.TRAINER, True),
        (roles.PARTNER, False),  # partners' clerks export on the site (issue 11)
        (roles.COORDINATOR, True),
    ],
)
def test_roles_reach_the_wagtail_admin_as_allowed(client, role, reaches_admin):
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code == 200) is reaches_admin
    assert client.get("/django-admin/").status_code == 302  # only superusers


@pytest.mark.django_db
def test_only_coordinators_may_edit_pages(demo_data, client):
    from cms.models import CoursePage

    page = CoursePage.objects.first()
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    client.force_login(UserFactory(role=roles.PARTNER))
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)


@pytest.mark.django_db
def test_superuser_reaches_django_admin(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/django-admin/").status_code == 200
