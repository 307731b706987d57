"""Security headers on every response, and `check --deploy` clean in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "ACCOUNT_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="szkolenia.example.gov.pl",
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
        WAGTAILADMIN_BASE_URL="https://szkolenia.example.gov.pl",
        PRIVACY_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        PRIVACY_HASH_KEY=secrets.token_urlsafe(32),
    )
    env.update(extra)
    return env


def _check_deploy(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_production_settings_is_clean():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_notices_a_weakened_setting():
    # The same command fails when HSTS is switched off: the test above can fail.
    result = _check_deploy(DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_production_turns_hsts_on_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SECURE_HSTS_PRELOAD, s.X_FRAME_OPTIONS, s.SECURE_SSL_REDIRECT)",
        ],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "DENY", "True"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/konto/login/", "/szukaj/", "/nie-ma-takiej/"])
def test_every_response_has_the_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part
    )
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["default-src"] == "'self'"
    for directive in ("script-src", "style-src"):
        # Our files, and a nonce when a template asks for one (none does today).
        sources = directives[directive].split()
        assert sources[:2] == ["'self'", "'report-sample'"]
        assert all(source.startswith("'nonce-") for source in sources[2:])
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_admin_preview_may_be_framed_by_the_admin_only(client, demo_data):
    from cms.models import CoursePage

    coordinator = get_user_model().objects.get(email="koordynator@szkolenia.test")
    client.force_login(coordinator)
    course_page = CoursePage.objects.live().first()
    response = client.get(f"/admin/pages/{course_page.pk}/edit/preview/?mode=")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    editor = client.get(f"/admin/pages/{course_page.pk}/edit/")
    assert "frame-ancestors 'none'" in editor["Content-Security-Policy"]
