"""Bulk issuance of 2,020 certificates end to end, beside the bare renderer.

    python -m tests.bench.certificates [--count 2020] [--postgres] [--loops 100]

End to end = the background task of a bulk issuance: for each completed enrolment a
locked register number, the PDF, the file in private storage, the row, the e-mail
(rendered, not delivered) and the progress message. The bare renderer is the
function the workers render with (`CertificateRenderer.render`: the certificate's HTML
with its QR code, then WeasyPrint) on the batch's certificates in a loop, with nothing
else.

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


def _bare_renderer_ms(*, certificates, loops: int) -> tuple[float, float]:
    """The renderer alone: the certificates' PDFs one after another, `loops` in all
    (round the list), through the same function a worker calls
    (`CertificateRenderer.render`: the HTML with its QR code, then WeasyPrint), with
    nothing of the worker's numbering, storage or bookkeeping. Different certificates,
    as a batch renders (names and codes differ: about 3 % more than one PDF again).

    One renderer for all the loops, as a worker keeps one for its run; the first
    render (fonts and stylesheet loaded) is given apart, not in the median.
    """
    bare = _bare(certificates=certificates, loops=loops, weasyprint_alone=False)
    return bare["wall_ms"], bare["first_ms"]


def _bare(*, certificates, loops: int, weasyprint_alone: bool = True) -> dict:
    """The bare renderer's wall and CPU per PDF (see _bare_renderer_ms), and beside it
    WeasyPrint alone on the same final HTML (`write_pdf_*`: what the renderer adds on
    top, its HTML and QR code, is the difference), interleaved so both see one load."""
    from django.utils import translation
    from weasyprint import HTML

    from certificates.pdf import _BASE_URL, CertificateRenderer

    renderer = CertificateRenderer()
    cpu = time.process_time()
    started = time.perf_counter()
    renderer.render(certificate=certificates[0])
    first_ms = (time.perf_counter() - started) * 1000
    first_cpu_ms = (time.process_time() - cpu) * 1000
    with translation.override("pl"):
        htmls = [
            renderer.template.render(renderer.context(certificate=certificate))
            for certificate in certificates
        ]
    walls, cpus, pdf_walls, pdf_cpus = [], [], [], []
    for n in range(loops):
        certificate = certificates[n % len(certificates)]
        cpu = time.process_time()
        started = time.perf_counter()
        renderer.render(certificate=certificate)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if not weasyprint_alone:
            continue
        cpu = time.process_time()
        started = time.perf_counter()
        document = HTML(
            string=htmls[n % len(certificates)],
            base_url=_BASE_URL,
            url_fetcher=renderer.fetcher,
        )
        document.write_pdf(
            stylesheets=[renderer.stylesheet],
            font_config=renderer.fonts,
            pdf_variant="pdf/ua-1",
            cache=renderer.images,
        )
        pdf_walls.append((time.perf_counter() - started) * 1000)
        pdf_cpus.append((time.process_time() - cpu) * 1000)
    return {
        "wall_ms": statistics.median(walls),
        "cpu_ms": statistics.fmean(cpus),
        "first_ms": first_ms,
        "first_cpu_ms": first_cpu_ms,
        "write_pdf_wall_ms": statistics.median(pdf_walls) if pdf_walls else None,
        "write_pdf_cpu_ms": statistics.fmean(pdf_cpus) if pdf_cpus else None,
    }


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
        certificates=list(certificates.order_by("sequence")[:loops]), loops=loops
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


def _bare_sample(count: int) -> list:
    """`count` certificates of a project of their own for the bare renderer: numbered
    and saved as a batch's worker saves them (rows only: their PDFs are what the bare
    renderer makes)."""
    from django.db import transaction

    from certificates.services import _issue_rows, certificate_template_for
    from courses.models import Enrolment

    project = _world(count)
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(edition__project=project)
            .select_related("trainee__user", "edition__course", "edition__project")
            .order_by("pk")
        )
        return _issue_rows(
            enrolments=enrolments,
            actor=None,
            templates=[certificate_template_for(edition=e.edition) for e in enrolments],
        )


def _cpu_seconds(pid: int) -> float:
    """The user and system CPU a process has used so far (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_backends() -> list[int]:
    """The server processes of this database's other connections (the workers')."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def _cpu_of(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            found[pid] = _cpu_seconds(pid)
        except OSError:  # gone (another machine's server, or it ended)
            continue
    return found


def run_workers(*, workers: int, count: int, loops: int) -> dict:
    """One bulk issuance of `count` certificates shared by `workers` task workers.

    Real processes, as in production: `workers` processes of `manage.py task_worker`
    are started and waited for until each has reported in, then the batch is started as
    the admin starts it (CERTIFICATES_BATCH_WORKERS tasks in the database queue). Timed
    from the start to the last PDF stored (the workers' start-up, as in production
    before any batch, is given apart). The bare renderer is measured just before and
    just after, on one of the batch's certificates, so the ratio compares like with
    like on a shared machine; the workers' CPU per certificate (from /proc) beside the
    bare renderer's CPU per PDF does not depend on the load. Beside them: the CPU of
    the PostgreSQL server processes serving the workers and of this process (which
    polls the batch's status), per certificate, and when each worker's task started and
    ended after the start (`tasks_s`): how long one worker was done while another
    still rendered (`tail_idle_s`).
    """
    import subprocess

    from django.conf import settings
    from django.db import connections
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from certificates.files import sha256
    from certificates.models import Certificate, CertificateBatch
    from certificates.services import certificate_batch_create, certificate_batch_start
    from cms.workers.models import TaskWorker

    from .__main__ import ROOT

    project = _world(count)
    batch = certificate_batch_create(actor=None, project=project)
    sample = _bare_sample(min(loops, 20))
    before = _bare(certificates=sample, loops=loops)
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
        backends = _cpu_of(_postgres_backends())
        cpu_before = sum(_cpu_seconds(pid) for pid in pids)
        own_cpu = time.process_time()
        started_at = timezone.now()
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
        own_cpu_s = time.process_time() - own_cpu
        after = _cpu_of(list(backends))
        postgres_cpu_s = sum(after[pid] - backends[pid] for pid in after)
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
    tasks = sorted(
        (
            (task.started_at - started_at).total_seconds(),
            (task.finished_at - started_at).total_seconds(),
        )
        for task in DBTaskResult.objects.filter(
            task_path="certificates.tasks.issue_certificate_batch",
            enqueued_at__gte=started_at,
        ).exclude(finished_at=None)
    )
    ends = [end for _start, end in tasks]
    after_row = _bare(certificates=sample, loops=loops)
    bare_before, bare_after = before["wall_ms"], after_row["wall_ms"]
    bare_ms = (bare_before + bare_after) / 2
    bare_cpu = (before["cpu_ms"] + after_row["cpu_ms"]) / 2
    pdf_ms = (before["write_pdf_wall_ms"] + after_row["write_pdf_wall_ms"]) / 2
    pdf_cpu = (before["write_pdf_cpu_ms"] + after_row["write_pdf_cpu_ms"]) / 2
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
        "bare_renderer_first_ms": round(before["first_ms"], 1),
        # WeasyPrint alone on the final HTML (without the renderer's HTML and QR code).
        "write_pdf_ms": round(pdf_ms, 1),
        "ratio_to_write_pdf": round(ms / pdf_ms, 2),
        "write_pdf_cpu_ms": round(pdf_cpu, 1),
        "cpu_ratio_to_write_pdf": round(cpu_ms / pdf_cpu, 2),
        "postgres_cpu_ms_per_certificate": round(postgres_cpu_s * 1000 / count, 1),
        "bench_cpu_ms_per_certificate": round(own_cpu_s * 1000 / count, 1),
        "tasks_s": [[round(start, 2), round(end, 2)] for start, end in tasks],
        "tail_idle_s": round(max(ends) - min(ends), 2) if ends else None,
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
                    f" {row['bare_renderer_cpu_ms']} ms (WeasyPrint alone"
                    f" {row['write_pdf_ms']} ms, CPU {row['write_pdf_cpu_ms']} ms:"
                    f" {row['ratio_to_write_pdf']}x, CPU"
                    f" {row['cpu_ratio_to_write_pdf']}x); PostgreSQL CPU"
                    f" {row['postgres_cpu_ms_per_certificate']} ms per certificate;"
                    f" tasks {row['tasks_s']} s, tail {row['tail_idle_s']} s; gap-free"
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
