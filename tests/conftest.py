import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def demo_data(db):
    """The demo accounts and pages, as `make run` loads them."""
    call_command("load_demo_data", verbosity=0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty (per-process) cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_only():
    """Skip on SQLite: it has no row locks to race for (DATABASE_URL selects PG)."""
    if connection.vendor != "postgresql":
        pytest.skip("races are run with real row locks on PostgreSQL (DATABASE_URL)")


@pytest.fixture
def enrolment_invariants():
    """After the test, recount the rules of enrolment from the rows (tests/invariants.py).

    Modules of enrolment-service and race tests use it for every test:
    `pytestmark = [..., pytest.mark.usefixtures("enrolment_invariants")]`.
    """
    yield
    from tests.invariants import enrolment_invariant_violations

    assert enrolment_invariant_violations() == []


def pytest_terminal_summary(terminalreporter):
    """Say how many PostgreSQL thread tests ran: none is a run that checked no race."""
    counts = {
        outcome: sum(
            1
            for report in terminalreporter.stats.get(outcome, [])
            if "postgres" in getattr(report, "keywords", {})
        )
        for outcome in ("passed", "failed", "error", "skipped")
    }
    terminalreporter.write_sep("-", "PostgreSQL thread tests")
    terminalreporter.write_line(
        "PostgreSQL thread tests: {passed} passed, {failed} failed, {error} errors, "
        "{skipped} skipped".format(**counts)
    )
