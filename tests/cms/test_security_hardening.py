"""Issue 11's hardening list, item by item: what each protects against, checked."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_password_shorter_than_12_characters_is_refused_in_polish():
    from django.utils import translation

    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        validate_password("Krotkie-1a")  # 10 characters
    assert "co najmniej 12 znaków" in " ".join(refused.value.messages)
    validate_password("Dluzsze-haslo-2026")


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_every_login_form_is_allauths_with_its_rate_limit(client, path):
    response = client.get(path, {"next": "/admin/"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response.url or "next=/admin/" in response.url
    # A password posted to the old forms is not checked there at all.
    UserFactory(email="szef@example.pl", is_staff=True, is_superuser=True)
    posted = client.post(path, {"username": "szef@example.pl", "password": "zle"})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session


def test_failed_logins_are_limited_then_even_the_right_password_waits(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    UserFactory(email="cel@example.pl", password="Dobre-haslo-2026")
    url = reverse("account_login")
    for attempt in range(3):
        page = client.post(
            url, {"login": "cel@example.pl", "password": f"zle-{attempt}"}
        )
        assert "Zbyt wiele nieudanych prób" not in page.content.decode()
    limited = client.post(
        url, {"login": "cel@example.pl", "password": "Dobre-haslo-2026"}
    )
    assert "Zbyt wiele nieudanych prób logowania" in limited.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_session_cookie_is_http_only_and_same_site(client):
    UserFactory(email="sesja@example.pl", password="Dobre-haslo-2026")
    response = client.post(
        reverse("account_login"),
        {"login": "sesja@example.pl", "password": "Dobre-haslo-2026"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE | re.DOTALL)


def _templates():
    for folder in ("templates", "cms", "courses", "certificates", "evaluation"):
        yield from (ROOT / folder).rglob("templates/**/*.html")
    yield from (ROOT / "templates").rglob("*.html")


def test_every_post_form_of_the_site_carries_a_csrf_token():
    missing = []
    for template in set(_templates()):
        text = template.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            if 'method="post"' not in match.group(0).lower():
                continue
            body = text[match.end() : text.find("</form>", match.end())]
            if "csrf_token" not in body:
                missing.append(f"{template.relative_to(ROOT)}: {match.group(0)[:80]}")
    assert not missing, missing


def test_no_view_is_exempt_from_csrf():
    exempt = [
        str(path.relative_to(ROOT))
        for folder in ("cms", "courses", "certificates", "evaluation")
        for path in (ROOT / folder).rglob("*.py")
        if "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert exempt == []
