"""Bulk issuance: resumable after a crash, no duplicate, no gap; watched live."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from certificates.models import Certificate, CertificateBatch
from certificates.services import (
    certificate_batch_create,
    certificate_batch_run,
    certificate_issue,
)
from cms.asgi import application
from tests.factories import TraineeFactory
from tests.states import past_edition

from .conftest import completed_enrolment


def _assert_register_whole(project, enrolments):
    certificates = Certificate.objects.filter(project=project)
    assert sorted(c.sequence for c in certificates) == list(
        range(1, len(enrolments) + 1)
    )
    assert sorted(c.enrolment_id for c in certificates) == sorted(
        e.pk for e in enrolments
    )


@pytest.mark.django_db
def test_running_again_after_a_crash_issues_the_rest_without_duplicates_or_gaps(
    edition, coordinator
):
    enrolments = [completed_enrolment(edition=edition) for _ in range(6)]
    # The first run died after two certificates: they were committed one by one.
    for enrolment in enrolments[:2]:
        certificate_issue(enrolment=enrolment, actor=coordinator)
    crashed = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )
    crashed.status = CertificateBatch.Status.RUNNING
    crashed.save()

    again = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )
    assert again.total == 4
    certificate_batch_run(batch=again)
    again.refresh_from_db()
    assert (again.status, again.issued, again.failed, again.percent) == (
        "finished",
        4,
        0,
        100,
    )
    _assert_register_whole(edition.project, enrolments)
    # A third run finds nothing to do.
    third = certificate_batch_create(actor=coordinator, project=edition.project)
    certificate_batch_run(batch=third)
    assert Certificate.objects.count() == 6


@pytest.mark.django_db
def test_project_batch_skips_enrolments_not_completed(edition, coordinator):
    other_edition = past_edition(project=edition.project)
    done = [
        completed_enrolment(edition=edition),
        completed_enrolment(edition=other_edition),
    ]
    completed_enrolment(edition=edition, passed=False)  # not done
    batch = certificate_batch_create(actor=coordinator, project=edition.project)
    certificate_batch_run(batch=batch)
    _assert_register_whole(edition.project, done)


@pytest.mark.django_db
def test_coordinator_starts_a_batch_in_the_admin_and_downloads_the_zip(
    client, edition, coordinator, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    enrolments = [completed_enrolment(edition=edition) for _ in range(3)]
    client.force_login(coordinator)
    page = client.get("/admin/certificates/issue/")
    assert page.status_code == 200
    assert edition.code in page.content.decode()
    created = client.post(
        "/admin/certificates/issue/new/",
        {"project": edition.project.pk, "edition": edition.pk},
    )
    batch = CertificateBatch.objects.get()
    assert created["Location"] == f"/admin/certificates/issue/batch/{batch.pk}/"
    assert client.get(created["Location"]).status_code == 200
    # The task is queued on commit; the immediate backend runs it at once.
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/admin/certificates/issue/batch/{batch.pk}/start/",
            HTTP_ACCEPT="application/json",
        )
    batch.refresh_from_db()
    started = {**started.json(), **{"status": batch.status}}
    assert started | {"issued": batch.issued, "percent": batch.percent} == {
        "batch": batch.pk,
        "status": "finished",
        "total": 3,
        "issued": 3,
        "failed": 0,
        "percent": 100,
    }
    progress = client.get(f"/zaswiadczenia/wydawanie/{batch.pk}/postep/")
    assert progress.json()["percent"] == 100
    _assert_register_whole(edition.project, enrolments)

    archive = client.get(f"/admin/certificates/issue/edition/{edition.pk}/zip/")
    assert archive.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert len(names) == 3
    assert all(name.endswith(".pdf") for name in names)


@pytest.mark.django_db
def test_trainees_cannot_reach_issuance_or_progress(client, edition, coordinator):
    batch = certificate_batch_create(actor=coordinator, project=edition.project)
    client.force_login(TraineeFactory().user)
    assert client.get(f"/zaswiadczenia/wydawanie/{batch.pk}/postep/").status_code == 404
    assert client.get("/admin/certificates/issue/").status_code in (302, 403)


def _headers(user=None) -> list:
    headers = [(b"origin", b"http://localhost")]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return headers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_coordinators_watch_the_progress(edition, coordinator):
    batch = certificate_batch_create(actor=coordinator, project=edition.project)
    path = f"/ws/zaswiadczenia/wydawanie/{batch.pk}/"
    trainee = TraineeFactory().user

    async def watch(headers):
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_output(5)
        await socket.disconnect()
        return first

    assert async_to_sync(watch)(_headers()) == {"type": "websocket.close", "code": 4403}
    assert async_to_sync(watch)(_headers(trainee)) == {
        "type": "websocket.close",
        "code": 4403,
    }
    sent = async_to_sync(watch)(_headers(coordinator))
    assert sent["type"] == "websocket.send"
    assert '"status": "waiting"' in sent["text"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_watcher_sees_every_certificate_and_the_end(edition, coordinator):
    for _ in range(3):
        completed_enrolment(edition=edition)
    batch = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )

    headers = _headers(coordinator)

    async def scenario():
        from channels.db import database_sync_to_async

        path = f"/ws/zaswiadczenia/wydawanie/{batch.pk}/"
        socket = WebsocketCommunicator(application, path, headers=headers)
        await socket.connect()
        seen = [await socket.receive_json_from(5)]
        await database_sync_to_async(certificate_batch_run)(batch=batch)
        while seen[-1]["status"] != "finished":
            seen.append(await socket.receive_json_from(5))
        await socket.disconnect()
        return seen

    seen = async_to_sync(scenario)()
    assert seen[0]["status"] == "waiting"
    issued = [s["issued"] for s in seen]
    assert issued == sorted(issued)  # the bar only moves forward
    assert seen[-1] == {
        "batch": batch.pk,
        "status": "finished",
        "total": 3,
        "issued": 3,
        "failed": 0,
        "percent": 100,
    }


@pytest.mark.django_db
def test_enrolments_numbered_several_in_a_transaction_keep_one_number_and_email_each(
    edition, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core import mail

    from certificates.models import CertificateCounter

    monkeypatch.setattr(
        "certificates.services.CLAIM_TAPER", 1
    )  # claims of 4 to the end
    enrolments = [completed_enrolment(edition=edition) for _ in range(10)]
    batch = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate_batch_run(batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.failed) == ("finished", 10, 0)
    _assert_register_whole(edition.project, enrolments)
    assert CertificateCounter.objects.get(project=edition.project).last == 10
    certificates = Certificate.objects.filter(batch=batch)
    assert all(c.pdf and c.pdf_sha256 for c in certificates)
    numbers = {c.number for c in certificates}
    assert len(numbers) == 10
    # One e-mail per holder, naming their own number.
    assert len(mail.outbox) == 10
    assert {n for n in numbers for m in mail.outbox if n in m.body} == numbers
