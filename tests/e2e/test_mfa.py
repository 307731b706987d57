"""Two-step verification in the browser: a new coordinator sets up the app, logs in."""

import re

import pytest
from allauth.mfa.models import Authenticator

from courses import roles
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "haslo-testowe-123"


def _password_login(page, base_url, email):
    page.goto(base_url + "/konto/login/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()


def test_a_coordinator_sets_up_the_app_then_logs_in_with_a_code(
    site, page, shot, axe, settings
):
    settings.STAFF_MFA_REQUIRED = True
    coordinator = UserFactory(
        email="nowa.koordynatorka@rops.example.pl", role=roles.COORDINATOR
    )

    # Password only: the admin is out of reach, the set-up asks for the password again.
    _password_login(page, site.url, coordinator.email)
    page.wait_for_url(re.compile(r"/konto/reauthenticate/"))
    page.get_by_label("Hasło").fill(PASSWORD)
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(re.compile(r"/konto/2fa/totp/activate/$"))
    page.goto(site.url + "/admin/")
    page.wait_for_url(re.compile(r"/konto/2fa/totp/activate/$"))
    assert axe(page) == []
    shot(page, "1-set-up")

    # The app reads the secret (from the QR code or as text); the code activates it.
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Kod")).fill("000000")
    page.locator("main form button[type='submit']").first.click()
    assert page.locator(".field__errors").inner_text() == "Błędny kod."
    assert not Authenticator.objects.filter(user=coordinator).exists()
    page.get_by_label(re.compile("Kod")).fill(totp_code(secret))
    page.locator("main form button[type='submit']").first.click()
    # Anchored: the activation page's own address matches "/konto/2fa/" too.
    page.wait_for_url(re.compile(r"/konto/2fa/(recovery-codes/)?$"))
    shot(page, "2-activated")
    assert Authenticator.objects.filter(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    page.goto(site.url + "/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))

    # Next time the login asks for the code, on a phone too.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    _password_login(page, site.url, coordinator.email)
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/$"))
    assert axe(page) == []
    shot(page, "3-code-asked-phone")
    page.locator("input[name='code']").fill(totp_code(secret))
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(re.compile(r"/konto/$"))
    page.goto(site.url + "/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
