"""Reports on a read replica: exports and the dashboard read there, nothing else does.

The replica is a second connection ("replica") to the test database, as a streaming
replica is a second server holding the same rows; which connection each query went
through is read from both connections' query logs. The tests commit their data
(transaction=True) so the second connection sees it, as a replica sees what the
primary committed.
"""

import copy

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment, ExportLog, TraineeProfile
from courses.replica import REPLICA, reports_on_replica
from courses.reporting import indicators
from courses.services.exports import export_build, export_log_create, export_render
from tests.courses.test_partners_export import table, world  # noqa: F401 (fixture)

# Committed data (a second connection sees only that), restored for the next tests.
with_commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUTERS = ["courses.replica.ReplicaRouter"]


@pytest.fixture
def replica():
    """A "replica" connection and the settings DATABASE_REPLICA_URL gives.

    Opened here (the test database exists only once the tests run), not listed in
    DATABASES, so the test case's guard against undeclared databases lets it through.
    """
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    backend = load_backend(settings_dict["ENGINE"])
    connections[REPLICA] = backend.DatabaseWrapper(settings_dict, alias=REPLICA)
    try:
        with override_settings(
            DATABASE_ROUTERS=ROUTERS, COURSES_REPORTS_DATABASE=REPLICA
        ):
            yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]


def _sql(queries) -> str:
    return " ".join(query["sql"] for query in queries)


def _on_each(replica):
    return (
        CaptureQueriesContext(connections["default"]),
        CaptureQueriesContext(replica),
    )


def _writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@with_commits
def test_reports_read_on_the_replica_and_nothing_else_does(world, replica):  # noqa: F811
    enrolments = Enrolment._meta.db_table
    # A partner's export in the request: its rows from the replica.
    primary, on_replica = _on_each(replica)
    with primary, on_replica:
        content, count = export_render(
            organisation=world["organisation"], kind="enrolments", fmt="csv", filters={}
        )
    assert count == 2
    assert {row[0] for row in table(content, "csv")[1:]} == {"Inside", "Inside2"}
    assert enrolments in _sql(on_replica.captured_queries)
    assert enrolments not in _sql(primary.captured_queries)

    # A queued export: read on the replica, its log and access record on the primary.
    log = export_log_create(
        user=world["clerk"],
        organisation=world["organisation"],
        kind="enrolments",
        fmt="xlsx",
        filters={},
    )
    primary, on_replica = _on_each(replica)
    with primary, on_replica:
        export_build.call(log_id=log.pk)
    log.refresh_from_db()
    assert log.row_count == 2 and log.file
    assert enrolments in _sql(on_replica.captured_queries)
    assert not _writes(on_replica.captured_queries)
    assert any(
        ExportLog._meta.db_table in sql for sql in _writes(primary.captured_queries)
    )

    # The funder's dashboard counts on the replica.
    primary, on_replica = _on_each(replica)
    with primary, on_replica:
        assert indicators()
    assert enrolments in _sql(on_replica.captured_queries)
    assert enrolments not in _sql(primary.captured_queries)

    # An object read for a report and saved afterwards is written on the primary.
    with reports_on_replica():
        trainee = TraineeProfile.objects.get(last_name="Inside")
    assert trainee._state.db == REPLICA
    trainee.first_name = "Zmieniona"
    primary, on_replica = _on_each(replica)
    with primary, on_replica:
        trainee.save(update_fields=["first_name"])
    assert not on_replica.captured_queries
    assert _writes(primary.captured_queries)

    # Outside a report, reads stay on the primary.
    with CaptureQueriesContext(replica) as on_replica:
        assert Enrolment.objects.count() == 4
        list(TraineeProfile.objects.all())
    assert not on_replica.captured_queries


@pytest.mark.django_db
def test_without_a_replica_reports_read_the_primary(world):  # noqa: F811
    with (
        override_settings(DATABASE_ROUTERS=ROUTERS),
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        content, count = export_render(
            organisation=world["organisation"], kind="enrolments", fmt="csv", filters={}
        )
    assert count == 2
    assert Enrolment._meta.db_table in _sql(primary.captured_queries)
