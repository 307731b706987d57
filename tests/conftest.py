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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a test's fixtures are torn down, wait until the seats its commits marked
    have been read and sent. The broadcaster reads them from a thread of its own some
    70 ms after the commit (courses/broadcast.py); a read that met the teardown's
    TRUNCATE of a transactional test took its table locks in another order, and
    PostgreSQL broke the deadlock by failing the flush (seen once in CI, in
    test_format_races), leaving that test's rows to the next."""
    from courses.broadcast import broadcaster

    if not broadcaster.wait_idle(30):
        pytest.fail("the seats broadcaster was still busy 30 s after the test")
    if nextitem is None:
        # The last test's teardown drops the test database, which PostgreSQL refuses
        # while a session is open: the broadcaster's reading thread keeps its
        # connection (CONN_MAX_AGE), so pytest-django left `test_*` databases behind.
        broadcaster.close_connections()


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


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (SeaweedFS) for the session (tests/s3_server.py)."""
    from tests.s3_server import SeaweedS3

    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def private_s3(s3_server, settings, monkeypatch):
    """The private files in a new bucket of `s3_server`, configured as production is:
    the S3_* variables of the environment read by the settings' own s3_options."""
    import uuid

    from cms.settings.base import s3_options

    bucket = f"prywatne-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_server.endpoint)
    monkeypatch.setenv("S3_REGION", "us-east-1")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", s3_server.secret_key)
    settings.PRIVATE_MEDIA_S3 = s3_options(bucket, "private-media")
    return bucket
