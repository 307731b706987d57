"""Bulk issuance of 2,020 certificates end to end, beside the bare renderer.

    python -m tests.bench.certificates [--count 2020] [--postgres] [--loops 100]

End to end = the background task of a bulk issuance: for each completed enrolment a
locked register number, the PDF, the file in private storage, the row, the e-mail
(rendered, not delivered) and the progress message. The bare renderer is WeasyPrint
turning the same certificate's HTML into the same PDF in a loop, with nothing else.

By default a throwaway SQLite file; `--postgres` a throwaway PostgreSQL database on
127.0.0.1:5432 (user postgres); DATABASE_URL names another one (kept). The result is
merged into bench-results.json under "certificates_bulk".
"""

import argparse
import datetime
import os
import secrets
import statistics
import sys
import time

from .common import RESULTS, bench_django, run_facts, say, write_result

KEY = "certificates_bulk"
COUNT = 2020  # the trainees of seed 003's project
EDITIONS = 12


def _world(count: int):
    """A project with editions and `count` trainees who completed them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from courses.models import (
        Course,
        Edition,
        Enrolment,
        EnrolmentStatus,
        Institution,
        InstitutionType,
        Position,
        Project,
        TraineeProfile,
        TrainerProfile,
        Voivodeship,
    )

    now = datetime.datetime.now(datetime.UTC)
    # Seed 003's project number; suffixed when the database has it already.
    code = "POWR.02.05"
    run_id = secrets.token_hex(3)
    if Project.objects.filter(code=code).exists():
        code = f"{code}-{run_id}"
    project = Project.objects.create(
        code=code,
        name=(
            "Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej "
            "na terenie makroregionu II"
        ),
        programme="Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
        measure="2.5",
        start_date=datetime.date(2020, 10, 1),
        end_date=datetime.date(2022, 7, 31),
        target_participants=count,
    )
    course = Course.objects.create(
        code=f"praca-socjalna-z-rodzina-{run_id}",
        title="Praca socjalna z rodziną w kryzysie",
        hours=24,
    )
    trainer = TrainerProfile.objects.create(name="dr Anna Wójcik")
    editions = []
    for n in range(EDITIONS):
        edition = Edition.objects.create(
            course=course,
            project=project,
            code=f"PSR-{run_id}-{n + 1:02d}",
            start_date=datetime.date(2022, 3, 1) + datetime.timedelta(days=7 * n),
            end_date=datetime.date(2022, 3, 3) + datetime.timedelta(days=7 * n),
            city="Katowice",
            venue="Sala konferencyjna ROPS",
            capacity=count,
            enrolment_opens=now - datetime.timedelta(days=400),
            enrolment_closes=now - datetime.timedelta(days=300),
        )
        edition.trainers.add(trainer)
        editions.append(edition)
    voivodeship = Voivodeship.objects.get(name="śląskie")
    institution = Institution.objects.create(
        name="Miejski Ośrodek Pomocy Społecznej w Katowicach",
        type=InstitutionType.MOPS,
        voivodeship=voivodeship,
        county="Katowice",
        municipality="Katowice",
    )
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"bench-cert-{run_id}-{i}@example.pl",
            email=f"bench-cert-{run_id}-{i}@example.pl",
            password=password,
        )
        for i in range(count)
    )
    first_names = ["Małgorzata", "Łukasz", "Żaneta", "Grzegorz", "Agnieszka"]
    last_names = ["Łęczycka", "Brzęczyszczykiewicz", "Źrebiec", "Wójcik", "Zając"]
    trainees = TraineeProfile.objects.bulk_create(
        TraineeProfile(
            user=user,
            first_name=first_names[i % 5],
            last_name=f"{last_names[i % 5]}-{i}",
            gender="K" if i % 5 in (0, 2, 4) else "M",
            position=Position.SOCIAL_WORKER,
            institution=institution,
        )
        for i, user in enumerate(users)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            trainee=trainee,
            edition=editions[i % EDITIONS],
            voivodeship=voivodeship,
            status=EnrolmentStatus.COMPLETED,
        )
        for i, trainee in enumerate(trainees)
    )
    return project


def _bare_renderer_ms(*, certificate, loops: int) -> tuple[float, float]:
    """WeasyPrint alone: the certificate's final HTML to PDF, again and again."""
    from django.utils import translation
    from weasyprint import HTML

    from certificates.pdf import _BASE_URL, CertificateRenderer

    renderer = CertificateRenderer()
    with translation.override("pl"):
        html = renderer.template.render(renderer.context(certificate=certificate))
    timings = []
    for _ in range(loops):
        started = time.perf_counter()
        HTML(string=html, base_url=_BASE_URL, url_fetcher=renderer.fetcher).write_pdf(
            stylesheets=[renderer.stylesheet],
            font_config=renderer.fonts,
            pdf_variant="pdf/ua-1",
            cache=renderer.images,
        )
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), timings[0]


def run(*, count: int = COUNT, loops: int = 100) -> dict:
    """Issue `count` certificates in one bulk issuance; time it beside the bare renderer.

    Expects Django set up on a migrated, empty database (main() does that).
    """
    from certificates.models import Certificate, CertificateBatch
    from certificates.services import certificate_batch_create
    from certificates.tasks import issue_certificate_batch

    say(f"Creating {count:,} trainees who completed a course ...")
    project = _world(count)
    batch = certificate_batch_create(actor=None, project=project)
    load_before = os.getloadavg()[0]
    say(f"Issuing {batch.total:,} certificates in one bulk issuance ...")
    started = time.perf_counter()
    # In this process, whatever the task backend (the worker rows use the database's).
    issue_certificate_batch.call(batch_id=batch.pk)
    total_s = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    batch = CertificateBatch.objects.get(pk=batch.pk)

    certificates = Certificate.objects.filter(project=project)
    sequences = sorted(certificates.values_list("sequence", flat=True))
    stored = sum(
        1 for c in certificates.only("pdf") if c.pdf.storage.exists(c.pdf.name)
    )
    ok = (
        batch.status == CertificateBatch.Status.FINISHED
        and sequences == list(range(1, count + 1))
        and stored == count
    )
    say(f"Bare renderer: the same PDF {loops} times ...")
    bare_ms, bare_first_ms = _bare_renderer_ms(
        certificate=certificates.order_by("sequence").first(), loops=loops
    )
    ms_per_certificate = total_s * 1000 / count
    return {
        "count": count,
        "issued": batch.issued,
        "total_s": round(total_s, 2),
        "ms_per_certificate": round(ms_per_certificate, 1),
        "bare_renderer_ms": round(bare_ms, 1),
        "bare_renderer_first_ms": round(bare_first_ms, 1),
        "bare_renderer_loops": loops,
        "ratio_to_bare_renderer": round(ms_per_certificate / bare_ms, 2),
        "numbers_gap_free": sequences == list(range(1, count + 1)),
        "pdfs_stored": stored,
        "ok": ok,
        # The machine is shared: a load above its CPU count slows both figures.
        "load_average_during": [round(load_before, 1), round(load_after, 1)],
    }


WORKER_COUNT = 400  # certificates per worker-count row


def _bare_for_workers(loops: int):
    """The bare renderer's median on one certificate of a project of its own; with
    no loops, that certificate."""
    from certificates.services import certificate_issue

    project = _world(1)
    enrolment = project.editions.first().enrolments.get()
    certificate = certificate_issue(enrolment=enrolment, actor=None)
    if not loops:
        return certificate
    return _bare_renderer_ms(certificate=certificate, loops=loops)[0]


def _cpu_seconds(pid: int) -> float:
    """The user and system CPU a process has used so far (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _bare_cpu_ms(*, certificate, loops: int) -> tuple[float, float]:
    """The bare renderer's median wall time and its mean CPU time per PDF, in ms."""
    cpu = time.process_time()
    wall = _bare_renderer_ms(certificate=certificate, loops=loops)[0]
    return wall, (time.process_time() - cpu) * 1000 / loops


def run_workers(*, workers: int, count: int, loops: int) -> dict:
    """One bulk issuance of `count` certificates shared by `workers` task workers.

    Real processes, as in production: `workers` processes of `manage.py task_worker`
    are started and waited for until each has reported in, then the batch is started as
    the admin starts it (CERTIFICATES_BATCH_WORKERS tasks in the database queue). Timed
    from the start to the last PDF stored (the workers' start-up, as in production
    before any batch, is given apart). The bare renderer is measured just before and
    just after, on one of the batch's certificates, so the ratio compares like with
    like on a shared machine; the workers' CPU per certificate (from /proc) beside the
    bare renderer's CPU per PDF does not depend on the load.
    """
    import subprocess

    from django.conf import settings
    from django.db import connections

    from certificates.files import sha256
    from certificates.models import Certificate, CertificateBatch
    from certificates.services import certificate_batch_create, certificate_batch_start
    from cms.workers.models import TaskWorker

    from .__main__ import ROOT

    project = _world(count)
    batch = certificate_batch_create(actor=None, project=project)
    sample = _bare_for_workers(0)  # a certificate of its own, issued in this process
    bare_before, bare_cpu_before = _bare_cpu_ms(certificate=sample, loops=loops)
    settings.CERTIFICATES_BATCH_WORKERS = workers
    connections.close_all()
    logs, processes = [], []
    load_before = os.getloadavg()[0]
    launched = time.perf_counter()
    for n in range(workers):
        log = open(  # noqa: SIM115 - closed below
            f"{settings.PRIVATE_MEDIA_ROOT}-worker-{workers}-{n}.log", "wb"
        )
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "task_worker",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    "-v",
                    "0",
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    pids = [process.pid for process in processes]
    try:
        ready_by = time.monotonic() + 120
        while TaskWorker.objects.filter(pid__in=pids).count() < workers:
            if time.monotonic() > ready_by or any(
                p.poll() is not None for p in processes
            ):
                raise RuntimeError("the task workers did not start")
            time.sleep(0.1)
        ready_s = time.perf_counter() - launched
        cpu_before = sum(_cpu_seconds(pid) for pid in pids)
        started = time.perf_counter()
        assert certificate_batch_start(batch=batch)
        deadline = time.monotonic() + max(600.0, count * 2.0)
        while time.monotonic() < deadline:
            status = CertificateBatch.objects.values_list("status", flat=True).get(
                pk=batch.pk
            )
            if status in (CertificateBatch.Status.FINISHED, "failed"):
                break
            time.sleep(0.05)
        total_s = time.perf_counter() - started
        cpu_s = sum(_cpu_seconds(pid) for pid in pids) - cpu_before
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(timeout=30)
        for log in logs:
            log.close()
    load_after = os.getloadavg()[0]
    bare_after, bare_cpu_after = _bare_cpu_ms(certificate=sample, loops=loops)
    bare_ms = (bare_before + bare_after) / 2
    bare_cpu = (bare_cpu_before + bare_cpu_after) / 2
    batch = CertificateBatch.objects.get(pk=batch.pk)
    certificates = list(Certificate.objects.filter(project=project))
    sequences = sorted(c.sequence for c in certificates)
    hashes_ok = 0
    for certificate in certificates:
        if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
            with certificate.pdf.storage.open(certificate.pdf.name, "rb") as stored:
                hashes_ok += sha256(stored.read()) == certificate.pdf_sha256
    ms = total_s * 1000 / count
    cpu_ms = cpu_s * 1000 / count
    return {
        "workers": workers,
        "count": count,
        "status": batch.status,
        "workers_ready_s": round(ready_s, 2),
        "total_s": round(total_s, 2),
        "ms_per_certificate": round(ms, 1),
        "bare_renderer_ms": round(bare_ms, 1),
        "bare_renderer_ms_before_after": [round(bare_before, 1), round(bare_after, 1)],
        "ratio_to_bare_renderer": round(ms / bare_ms, 2),
        "worker_cpu_ms_per_certificate": round(cpu_ms, 1),
        "bare_renderer_cpu_ms": round(bare_cpu, 1),
        "cpu_ratio_to_bare_renderer": round(cpu_ms / bare_cpu, 2),
        "numbers_gap_free": sequences == list(range(1, count + 1)),
        "numbers_unique": len({c.number for c in certificates}) == len(certificates),
        "pdf_hashes_match": hashes_ok,
        "ok": batch.status == CertificateBatch.Status.FINISHED
        and sequences == list(range(1, count + 1))
        and hashes_ok == count,
        "load_average_during": [round(load_before, 1), round(load_after, 1)],
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.certificates", description=__doc__
    )
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--loops", type=int, default=100, help="bare renderer runs")
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL database"
    )
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file")
    parser.add_argument(
        "--workers",
        default="1,2",
        help="task-worker counts to run a batch with (real processes), e.g. 1,2",
    )
    parser.add_argument(
        "--worker-count",
        type=int,
        default=WORKER_COUNT,
        help="certificates in each worker-count batch",
    )
    parser.add_argument(
        "--skip-in-process",
        action="store_true",
        help="only the worker-count batches (not the in-process bulk issuance)",
    )
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    sqlite = args.sqlite or not (args.postgres or os.environ.get("DATABASE_URL"))
    worker_counts = [int(n) for n in args.workers.split(",") if n.strip()]
    if worker_counts and not sqlite:
        # The task workers read the queue the batch is put in: the database's.
        os.environ["DJANGO_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    with bench_django(sqlite=sqlite, prefix="bench-certificates-media-") as database:
        if args.skip_in_process:
            result = {"count": 0, "ok": True}
        else:
            result = run(count=args.count, loops=args.loops)
        if worker_counts and not sqlite:
            rows = {}
            for workers in worker_counts:
                say(
                    f"Issuing {args.worker_count} certificates with {workers}"
                    f" task worker(s) ..."
                )
                rows[str(workers)] = run_workers(
                    workers=workers, count=args.worker_count, loops=args.loops
                )
                row = rows[str(workers)]
                say(
                    f"  {workers} worker(s): {row['ms_per_certificate']} ms per"
                    f" certificate, {row['ratio_to_bare_renderer']}x the bare"
                    f" renderer ({row['bare_renderer_ms']} ms, before/after"
                    f" {row['bare_renderer_ms_before_after']}); CPU"
                    f" {row['worker_cpu_ms_per_certificate']} ms per certificate,"
                    f" {row['cpu_ratio_to_bare_renderer']}x the bare renderer's"
                    f" {row['bare_renderer_cpu_ms']} ms; gap-free"
                    f" {row['numbers_gap_free']}, PDF hashes"
                    f" {row['pdf_hashes_match']}/{row['count']}; workers ready in"
                    f" {row['workers_ready_s']} s; load {row['load_average_during']}"
                )
            result["workers"] = rows
            result["ok"] = result["ok"] and all(r["ok"] for r in rows.values())
        result.update(run_facts(database))
        write_result(KEY, result)
        for name in (
            "count",
            "total_s",
            "ms_per_certificate",
            "bare_renderer_ms",
            "ratio_to_bare_renderer",
            "numbers_gap_free",
            "pdfs_stored",
        ):
            if name in result:
                say(f"  {name:<24}{result[name]!s:>12}")
        say(f"Written to {RESULTS.name} under {KEY!r}.")
        return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
