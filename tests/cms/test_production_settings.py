"""Production settings refuse to start without the site's public address."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PRINT = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"


def _start(base_url: str | None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WAGTAILADMIN_BASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PRIVACY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PRIVACY_HASH_KEY": secrets.token_urlsafe(32),
    }
    if base_url is not None:
        env["WAGTAILADMIN_BASE_URL"] = base_url
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + PRINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "base_url", [None, "", "szkolenia.rops.pl", "ftp://szkolenia.rops.pl", "https://"]
)
def test_production_refuses_to_start_without_a_real_address(base_url):
    started = _start(base_url)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "WAGTAILADMIN_BASE_URL must be set" in started.stderr


def test_production_starts_with_the_address():
    started = _start("https://szkolenia.rops.pl")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "https://szkolenia.rops.pl"
