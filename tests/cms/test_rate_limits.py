"""Rate limits are counted in the shared cache: two worker processes share one budget."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cms.test_security_headers import _check_deploy

ROOT = Path(__file__).resolve().parents[2]

# One "worker": a separate Python process with the production cache layout (Redis),
# making lookups at the public certificate check from one address.
WORKER = """
import django, sys
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(REMOTE_ADDR="203.0.113.7")
codes = [client.get("/zaswiadczenia/weryfikacja/ABCD1234EFGH5678/").status_code
         for _ in range(int(sys.argv[1]))]
print(" ".join(map(str, codes)))
"""


def _database_url() -> str:
    """This test's own database, for the worker processes."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker(lookups: int, prefix: str) -> list[int]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings_shared_cache",
        SHARED_CACHE_PREFIX=prefix,
        DATABASE_URL=_database_url(),
    )
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(lookups)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_share_one_budget_of_lookups(settings):
    from certificates.views import LOOKUP_LIMIT

    prefix = f"rate-{secrets.token_hex(4)}"
    first = _worker(15, prefix)
    second = _worker(10, prefix)
    assert first == [404] * 15  # unknown code, within the budget
    # The second process knows what the first one counted: 5 more, then 429.
    allowed = LOOKUP_LIMIT - 15
    assert second == [404] * allowed + [429] * (10 - allowed)


def test_check_deploy_warns_when_the_cache_is_per_process():
    result = _check_deploy(REDIS_URL="")
    assert result.returncode != 0
    assert "cms.W001" in result.stdout + result.stderr
