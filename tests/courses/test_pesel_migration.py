"""Migration 0012 encrypts the PESEL numbers already stored and gives them their hash."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.crypto import decrypt_text, keyed_hash

BEFORE = [("courses", "0011_communication")]
AFTER = [("courses", "0012_privacy_access_log_pesel_encrypted")]


@pytest.fixture(autouse=True)
def _latest_schema_after(transactional_db):
    """Leave the database fully migrated: later tests on this worker need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_numbers_are_encrypted_in_place_and_hashed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Institution = old.get_model("courses", "Institution")
    Voivodeship = old.get_model("courses", "Voivodeship")
    Trainee = old.get_model("courses", "TraineeProfile")
    institution = Institution.objects.create(
        name="MOPS",
        type="mops",
        voivodeship=Voivodeship.objects.get(name="śląskie"),
        county="Katowice",
        municipality="Katowice",
    )
    people = {}
    for n, pesel in enumerate(["44051401359", ""]):
        user = User.objects.create(username=f"mig{n}@example.pl")
        people[pesel] = Trainee.objects.create(
            user=user,
            first_name="Anna",
            last_name=f"Migracja{n}",
            gender="K",
            position="social_worker",
            institution=institution,
            pesel=pesel,
        ).pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, pesel, pesel_hash FROM courses_traineeprofile")
        rows = {pk: (token, digest) for pk, token, digest in cursor.fetchall()}
    token, digest = rows[people["44051401359"]]
    assert "44051401359" not in token and decrypt_text(token) == "44051401359"
    assert digest == keyed_hash("44051401359")
    assert rows[people[""]] == ("", "")
