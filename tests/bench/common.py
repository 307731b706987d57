"""What the stand-alone benchmarks share: a throwaway database, Django set up on it."""

import datetime
import json
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

RESULTS = Path(__file__).resolve().parent.parent.parent / "bench-results.json"


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def write_result(key: str, result: dict) -> None:
    """Merge one benchmark's figures into bench-results.json, keeping the others."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = result
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def bench_django(*, sqlite: bool, prefix: str):
    """A throwaway database and media folder, Django set up and migrated; all removed after."""
    from .__main__ import Database

    database = Database(sqlite=sqlite)
    media = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_MEDIA_ROOT": str(media / "public"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(media / "private"),
            "DATABASE_URL": database.url,
            "PRIVACY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "PRIVACY_HASH_KEY": secrets.token_urlsafe(32),
        }
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        sys.stderr.write(f"Database: {database.label}; migrating ...\n")
        call_command("migrate", interactive=False, verbosity=0)
        yield database
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not have started
            pass
        if database.drop is not None:
            database.drop()
        shutil.rmtree(media, ignore_errors=True)


def run_facts(database) -> dict:
    """Where and when a figure was measured, stored beside it."""
    from django.db import connection

    return {
        "database": database.label,
        "vendor": connection.vendor,
        "cpus": os.cpu_count(),
        "measured_at": datetime.datetime.now().astimezone().isoformat("T", "seconds"),
    }
