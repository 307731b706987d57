"""The enrolment import is set-based: queries do not grow with rows, the dry run locks nothing."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from courses.models import HOLDING, Enrolment, EnrolmentStatus, Voivodeship
from courses.services.imports import import_run
from courses.services.locking import lock_quotas, locking_transaction
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)
from tests.invariants import enrolment_invariant_violations

S = EnrolmentStatus


def _file(people, editions) -> bytes:
    rows = "".join(
        f"{p.user.email};{editions[i % len(editions)].code}\n"
        for i, p in enumerate(people)
    )
    return ("E-mail;Grupa\n" + rows).encode()


def _world(n):
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=n // 2, regions=["śląskie"])
    editions = [EditionFactory(project=project, capacity=n) for _ in range(2)]
    region = Voivodeship.objects.get(name="śląskie")
    people = [
        TraineeFactory(institution=InstitutionFactory(voivodeship=region))
        for _ in range(n)
    ]
    return project, quota, editions, people


@pytest.mark.django_db
def test_the_queries_of_an_enrolment_import_do_not_grow_with_its_rows():
    counts = {}
    for n in (6, 40):
        project, quota, editions, people = _world(n)
        with CaptureQueriesContext(connection) as queries:
            result = import_run(
                kind="enrolments", content=_file(people, editions), commit=True
            )
        assert result.errors == [] and result.committed
        # Half the file fits the quota, in the file's order; the rest waits.
        assert [o.action for o in result.rows] == [S.CONFIRMED] * (n // 2) + [
            S.WAITLISTED
        ] * (n - n // 2)
        held = Enrolment.objects.filter(edition__project=project, status__in=HOLDING)
        assert set(held.values_list("trainee_id", flat=True)) == {
            p.pk for p in people[: n // 2]
        }
        counts[n] = len(queries)
    assert counts[6] == counts[40], counts
    assert enrolment_invariant_violations() == []


@pytest.mark.django_db
def test_the_dry_run_shows_what_the_commit_then_does():
    _, _, editions, people = _world(10)
    content = _file(people, editions)
    preview = import_run(kind="enrolments", content=content, commit=False)
    assert not preview.committed and Enrolment.objects.count() == 0
    done = import_run(kind="enrolments", content=content, commit=True)
    assert done.committed
    assert [(o.row, o.action) for o in preview.rows] == [
        (o.row, o.action) for o in done.rows
    ]
    assert Enrolment.objects.count() == 10
    again = import_run(kind="enrolments", content=content, commit=True)
    assert {o.action for o in again.rows} == {"unchanged"}
    assert Enrolment.objects.count() == 10


@pytest.mark.parametrize("commit", [False, True])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
def test_the_dry_run_takes_no_lock_while_the_commit_waits_for_them(commit, settings):
    """A writer holds the project's quota lock: the preview still answers at once."""
    settings.COURSES_LOCK_TIMEOUT_MS = 300
    project, quota, editions, people = _world(8)
    holding, release = threading.Event(), threading.Event()

    def hold_the_quota():
        try:
            with locking_transaction():
                lock_quotas(quota_ids=[quota.pk])
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_quota)
    holder.start()
    try:
        assert holding.wait(30)
        result = import_run(
            kind="enrolments", content=_file(people, editions), commit=commit
        )
    finally:
        release.set()
        holder.join(30)
    if commit:  # the commit needs the lock: "busy", nothing written
        assert not result.committed
        assert [e.row for e in result.errors] == [0]
        assert Enrolment.objects.count() == 0
    else:
        assert result.errors == [] and len(result.rows) == 8
        assert Enrolment.objects.count() == 0
