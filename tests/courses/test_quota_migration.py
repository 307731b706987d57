"""Migration 0007 keeps the quotas' voivodeships and makes the rule hold for old data."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0007_project_funding")]
AFTER = [("courses", "0008_quota_voivodeship_per_project")]


@pytest.fixture(autouse=True)
def _latest_schema_after(transactional_db):
    """Leave the database fully migrated: later tests on this worker need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_memberships_get_their_project_and_the_first_quota_keeps_a_shared_one():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Project = old.get_model("courses", "Project")
    Quota = old.get_model("courses", "Quota")
    Voivodeship = old.get_model("courses", "Voivodeship")
    regions = {v.name: v for v in Voivodeship.objects.all()}
    dates = {
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 12, 31),
    }
    project = Project.objects.create(code="MIG-1", name="Projekt", **dates)
    other = Project.objects.create(code="MIG-2", name="Inny", **dates)
    first = Quota.objects.create(project=project, name="Pierwsza", size=5)
    second = Quota.objects.create(project=project, name="Druga", size=5)
    elsewhere = Quota.objects.create(project=other, name="Gdzie indziej", size=5)
    first.voivodeships.set([regions["śląskie"], regions["opolskie"]])
    second.voivodeships.set([regions["opolskie"], regions["małopolskie"]])
    elsewhere.voivodeships.set([regions["śląskie"]])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("courses", "QuotaVoivodeship").objects
    kept = {
        (row.quota_id, row.voivodeship.name, row.project_id)
        for row in rows.select_related("voivodeship")
    }
    # Back to the latest state: later migrations of courses were undone by BEFORE.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # opolskie was in both quotas of the project: the first by id counted it.
    assert kept == {
        (first.pk, "śląskie", project.pk),
        (first.pk, "opolskie", project.pk),
        (second.pk, "małopolskie", project.pk),
        (elsewhere.pk, "śląskie", other.pk),
    }
