"""The set-based enrolment import decides as `enrolment_create` would, row after row.

The same file is enrolled twice on the same data: once through the service, one row
after another in the file's order (then rolled back), once by the import. Statuses,
holds, the rows written and their history must agree; a row in error writes nothing;
the e-mails of a file are queued as one task (per EMAILS_PER_TASK of them).
"""

import random

import pytest
from django.db import transaction
from django_tasks import task_backends
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import notifications
from courses.models import (
    LIVE,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    SupportKind,
    Voivodeship,
)
from courses.services import enrolment_create
from courses.services.imports import import_run
from tests.factories import (
    CourseFactory,
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)
from tests.invariants import enrolment_invariant_violations

S = EnrolmentStatus


class _Undo(Exception):
    pass


def _world():
    """Two projects (one with approval), a small quota, a full and a small edition."""
    region = Voivodeship.objects.get(name="śląskie")
    free, approval = ProjectFactory(), ProjectFactory(requires_approval=True)
    QuotaFactory(project=free, size=3, regions=["śląskie"])
    QuotaFactory(project=approval, size=2, regions=["śląskie"])
    editions = [
        EditionFactory(project=free, capacity=2),
        EditionFactory(project=free, capacity=4),  # a second module, same quota
        EditionFactory(project=free, capacity=1),
        EditionFactory(project=approval, capacity=3),
        EditionFactory(project=approval, capacity=5),
    ]
    people = [
        TraineeFactory(institution=InstitutionFactory(voivodeship=region))
        for _ in range(7)
    ]
    # Already there: the third edition full, one trainee holding a quota place.
    enrolment_create(trainee=people[6], edition=editions[2])
    return editions, people


def _pairs(seed: int, editions, people, size: int) -> list[tuple]:
    """`size` distinct (trainee, edition) rows in a random order (repeats are errors)."""
    rows = [(p, e) for p in people for e in editions]
    random.Random(seed).shuffle(rows)
    return rows[:size]


def _content(pairs) -> bytes:
    lines = "".join(f"{p.user.email};{e.code}\n" for p, e in pairs)
    return ("E-mail;Grupa\n" + lines).encode()


def _state(editions):
    rows = Enrolment.objects.filter(edition__in=editions).order_by("pk")
    return sorted(
        (e.trainee_id, e.edition_id, e.status, e.quota_id, e.hold_until is not None)
        for e in rows
    )


def _row_by_row(pairs, editions):
    """What the service does with the file's rows, one after another; then undone."""
    existing = set(Enrolment.objects.values_list("trainee_id", "edition_id"))
    statuses = []
    try:
        with transaction.atomic():
            for trainee, edition in pairs:
                if (trainee.pk, edition.pk) in existing:
                    statuses.append("unchanged")
                    continue
                statuses.append(
                    enrolment_create(trainee=trainee, edition=edition).status
                )
            state = _state(editions)
            raise _Undo
    except _Undo:
        pass
    return statuses, state


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 35))
def test_the_import_decides_each_row_as_the_service_would_in_file_order(seed, size):
    with transaction.atomic():
        editions, people = _world()
        pairs = _pairs(seed, editions, people, size)
        expected, expected_state = _row_by_row(pairs, editions)
        result = import_run(kind="enrolments", content=_content(pairs), commit=True)
        assert result.errors == [] and result.committed
        assert [o.row for o in result.rows] == list(range(2, len(pairs) + 2))
        assert [o.action for o in result.rows] == expected
        assert _state(editions) == expected_state
        new = Enrolment.objects.filter(edition__in=editions).exclude(
            trainee=people[6], edition=editions[2]
        )
        # One history row for each new enrolment, from nothing to its status.
        events = EnrolmentEvent.objects.filter(enrolment__in=new)
        assert sorted(
            events.values_list("enrolment_id", "from_status", "to_status")
        ) == (sorted((e.pk, "", e.status) for e in new))
        assert enrolment_invariant_violations() == []
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_full_edition_a_full_quota_and_a_second_module_in_file_order():
    editions, people = _world()
    small, second, full, pending, _ = editions
    pairs = [
        (people[0], small),  # the quota's second person (people[6] is its first)
        (people[1], small),  # its third and last
        (people[2], small),  # the edition is full: waits
        (people[0], second),  # a second module: the same quota person, in
        (people[3], second),  # the quota is full: waits
        (people[4], second),
        (people[5], full),  # the edition was full before the file: waits
        (people[6], full),  # already enrolled
        (people[0], pending),  # approval: held pending
    ]
    result = import_run(kind="enrolments", content=_content(pairs), commit=True)
    assert result.committed, result.errors
    assert [o.action for o in result.rows] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
        S.WAITLISTED,
        "unchanged",
        S.PENDING,
    ]
    held = Enrolment.objects.get(trainee=people[0], edition=pending)
    assert held.hold_until is not None


@pytest.mark.django_db
def test_a_row_in_error_writes_nothing(mailoutbox):
    editions, people = _world()
    before = _state(editions)
    events = EnrolmentEvent.objects.count()
    pairs = [(people[0], editions[0]), (people[1], editions[1])]
    content = _content(pairs) + f"{people[2].user.email};NIE-MA\n".encode()
    content += f"{people[0].user.email};{editions[0].code}\n".encode()  # a repeat
    result = import_run(kind="enrolments", content=content, commit=True)
    assert not result.committed
    assert [e.row for e in result.errors] == [4, 5]
    assert "NIE-MA" in result.errors[0].message
    assert _state(editions) == before
    assert EnrolmentEvent.objects.count() == events
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_emails_of_a_file_are_one_task_and_the_same_emails(
    django_capture_on_commit_callbacks, mailoutbox, settings, monkeypatch
):
    editions, people = _world()
    group = EditionFactory(
        project=editions[0].project,
        capacity=5,
        course=CourseFactory(kind=SupportKind.WORKING_GROUP),
    )
    pairs = [(people[0], editions[0]), (people[1], editions[3]), (people[2], group)]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = import_run(kind="enrolments", content=_content(pairs), commit=True)
    assert result.committed, result.errors
    # Confirmed and received, each to its trainee; a working group's member is
    # nominated, not enrolled: their nomination's own e-mail tells them.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people[0].user.email, people[1].user.email]
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    task_backends._settings = None  # re-read TASKS
    try:
        backend = task_backends["default"]
        pairs = [(people[3], editions[1]), (people[4], editions[1])]
        with django_capture_on_commit_callbacks(execute=True):
            result = import_run(kind="enrolments", content=_content(pairs), commit=True)
        assert result.committed, result.errors
        assert [r.task.name for r in backend.results] == ["send_enrolment_emails_task"]
        made = [
            Enrolment.objects.get(trainee=p, edition=e, status__in=LIVE)
            for p, e in pairs
        ]
        assert [m.status for m in made] == [S.WAITLISTED] * 2  # the quota is full
        assert backend.results[0].args[0] == [[m.pk, "waitlisted"] for m in made]
        # A long file: tasks of EMAILS_PER_TASK, every e-mail in exactly one of them.
        monkeypatch.setattr(notifications, "EMAILS_PER_TASK", 2)
        backend.clear()
        pairs = [(people[p], editions[4]) for p in (0, 1, 2, 3, 5)]
        with django_capture_on_commit_callbacks(execute=True):
            result = import_run(kind="enrolments", content=_content(pairs), commit=True)
        assert result.committed, result.errors
        chunks = [r.args[0] for r in backend.results]
        assert [len(chunk) for chunk in chunks] == [2, 2, 1]
        made = [Enrolment.objects.get(trainee=p, edition=e) for p, e in pairs]
        assert [item[0] for chunk in chunks for item in chunk] == [m.pk for m in made]
    finally:
        task_backends._settings = None


# Trainees ---------------------------------------------------------------------------


def _trainees_file(rows) -> bytes:
    header = "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina;PESEL\n"
    return (header + "".join(";".join(row) + "\n" for row in rows)).encode()


@pytest.mark.django_db
def test_imported_trainees_have_the_history_a_save_writes():
    from auditlog.context import set_actor
    from auditlog.models import LogEntry
    from auditlog.receivers import log_create

    from courses import roles
    from courses.models import TraineeProfile
    from tests.factories import UserFactory

    coordinator = UserFactory(role=roles.COORDINATOR)
    institution = InstitutionFactory()
    rows = [
        (
            f"nowa{i}@example.pl",
            "Zofia",
            f"Kowalska-{i}",
            "K",
            "pracownik socjalny",
            institution.name,
            institution.municipality,
            pesel,
        )
        for i, pesel in enumerate(["44051401359", ""])
    ]
    with set_actor(coordinator, remote_addr="10.0.0.7"):
        result = import_run(
            kind="trainees",
            content=_trainees_file(rows),
            actor=coordinator,
            commit=True,
        )
        assert result.committed, result.errors
        trainees = list(
            TraineeProfile.objects.filter(user__email__startswith="nowa").order_by(
                "user__email"
            )
        )
        assert [
            t.user.groups.filter(name=roles.TRAINEE).exists() for t in trainees
        ] == [
            True,
            True,
        ]
        assert trainees[0].pesel == "44051401359" and trainees[0].pesel_hash
        assert not trainees[0].user.has_usable_password()
        fields = [
            "content_type_id",
            "object_pk",
            "object_id",
            "object_repr",
            "action",
            "changes",
            "serialized_data",
            "actor_id",
            "remote_addr",
            "additional_data",
        ]
        for trainee in trainees:
            bulk = LogEntry.objects.get_for_object(trainee).get()
            # What auditlog's own receiver writes for the same row saved.
            log_create(sender=TraineeProfile, instance=trainee, created=True)
            saved = LogEntry.objects.get_for_object(trainee).exclude(pk=bulk.pk).get()
            assert {f: getattr(bulk, f) for f in fields} == {
                f: getattr(saved, f) for f in fields
            }
            assert bulk.actor_id == coordinator.pk
            assert "pesel" not in bulk.changes and "pesel_hash" not in bulk.changes


@pytest.mark.django_db
def test_a_trainee_file_with_a_row_in_error_creates_no_account():
    from django.contrib.auth import get_user_model

    institution = InstitutionFactory()
    good = ("ok@example.pl", "Ewa", "Nowak", "K", "pracownik socjalny")
    bad = ("zly@example.pl", "Jan", "Nowak", "X", "pracownik socjalny")
    where = (institution.name, institution.municipality, "")
    users = get_user_model().objects.count()
    result = import_run(
        kind="trainees",
        content=_trainees_file([good + where, bad + where]),
        commit=True,
    )
    assert not result.committed and [e.row for e in result.errors] == [3]
    assert get_user_model().objects.count() == users
