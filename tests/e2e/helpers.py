import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from cms.management.commands.load_demo_data import DEMO_TOTP_SECRET


def totp_code(secret: str = DEMO_TOTP_SECRET, valid_for: float = 6.0) -> str:
    """The authenticator app's current code for a secret (the demo's by default).

    A code is accepted only within its 30 s period (allauth's tolerance is 0): one read
    in the period's last seconds may reach the server after it has ended (a loaded CI
    machine took that long once, and the login stayed on the code form). As a person
    whose app shows a code about to change does, wait for the next one when fewer than
    `valid_for` seconds are left.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < valid_for:
        time.sleep(left + 0.05)
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


_USED_CODES: set[tuple[str, str]] = set()


def log_in(
    page, base_url: str, email: str, password: str, totp_secret: str = DEMO_TOTP_SECRET
) -> None:
    """Log in through the site's own form and land on "Moje konto".

    Accounts with two-step verification (the demo's coordinators, trainers, partner
    and admin) are asked for the authenticator code next: it is computed from the
    demo secret, as the person's app would.
    """
    page.goto(base_url + "/konto/login/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/(2fa/authenticate/)?$"))
    if page.url.endswith("/2fa/authenticate/"):
        code = totp_code(totp_secret)
        # allauth refuses a code already used by the account (replay protection), as
        # a second device logging in within the same 30 s would be: wait for the next.
        while (email, code) in _USED_CODES:
            time.sleep(0.5)
            code = totp_code(totp_secret)
        _USED_CODES.add((email, code))
        page.locator("input[name='code']").fill(code)
        page.locator("main form button[type='submit']").first.click()
        page.wait_for_url(re.compile(r"/konto/$"))
