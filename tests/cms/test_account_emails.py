"""allauth's e-mails: Polish, in the site's design (HTML and text), links on the site's
address (the Wagtail default Site in production, never the Host header)."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.test import RequestFactory
from wagtail.models import Site

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SITE = "https://szkolenia.rops.slaskie.pl"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://stary-adres.example.pl"
    Site.objects.filter(is_default_site=True).update(
        hostname="szkolenia.rops.slaskie.pl", port=443
    )


def _check_design_and_links(message, path: str) -> None:
    """Polish text and HTML, the same link in both, on the site's address."""
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert message.subject.startswith("[Szkolenia ROPS] ")
    for body in (message.body, html):
        assert "Dzień dobry," in body
        assert "Szkolenia ROPS" in body
        assert "Hello" not in body and "Thank you for using" not in body
        assert "attacker" not in body and "stary-adres" not in body
        links = [link for link in URL.findall(body) if path in link]
        assert links and all(link.startswith(SITE + path) for link in links), links
    assert '<html lang="pl">' in html
    assert "data-email-body" in html
    assert f'href="{SITE}{path}' in html  # a link one can click
    assert f'href="{SITE}/konto/"' in html  # "My account" in the footer


def test_the_confirmation_email_is_polish_in_the_sites_design(production, client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "nowa@example.pl",
            "password1": "Bardzo-trudne-haslo-1",
            "password2": "Bardzo-trudne-haslo-1",
        },
        HTTP_HOST="attacker.example",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    _check_design_and_links(message, "/konto/confirm-email/")
    # The link works.
    key = message.body.split("/konto/confirm-email/")[1].split()[0]
    assert client.post("/konto/confirm-email/" + key).status_code == 302


def test_the_password_reset_email_is_polish_in_the_sites_design(production, client):
    UserFactory(email="reset@example.pl")
    client.post(
        "/konto/password/reset/",
        {"email": "reset@example.pl"},
        HTTP_HOST="attacker.example",
    )
    (message,) = mail.outbox
    _check_design_and_links(message, "/konto/password/reset/key/")


def test_two_step_verification_notices_are_in_the_sites_design(production):
    user = UserFactory(email="mfa@example.pl")
    request = RequestFactory().get("/", HTTP_HOST="attacker.example")
    request.user = user
    with allauth_context.request_context(request):
        get_adapter(request).send_notification_mail("mfa/email/totp_activated", user)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Dzień dobry," in body
        assert SITE + "/" in body
        assert "attacker" not in body
    assert "data-email-body" in html
