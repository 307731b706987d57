"""Partners' export of 2,020 enrolments and coordinators' import of 2,020 rows.

    python -m tests.bench.export_import [--count 2020] [--postgres]

Export: the enrolment list of 2,020 rows in a partner's scope to XLSX and to CSV,
timed, with its database queries counted beside the same export of 20 rows (they
must not grow with the rows). Import: a CSV of 2,020 trainees, dry run then commit,
then a CSV of their 2,020 enrolments through the enrolment service (dry run, commit),
with production's task queue (the database's): the commit queues the e-mails, the
task worker sends them (their rendering is timed apart, per e-mail).

By default a throwaway SQLite file; `--postgres` a throwaway PostgreSQL database on
127.0.0.1:5432 (user postgres); DATABASE_URL names another one (kept). The result is
merged into bench-results.json under "export_import".
"""

import argparse
import datetime
import os
import secrets
import sys
import time

from .common import RESULTS, bench_django, run_facts, say, write_result

KEY = "export_import"
COUNT = 2020
SMALL = 20
EDITIONS = 10


def _world(count: int):
    """A partner's project: `count` enrolments, `SMALL` of them in one small edition."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from courses.models import (
        Course,
        Edition,
        Enrolment,
        EnrolmentStatus,
        Institution,
        InstitutionType,
        PartnerOrganisation,
        Position,
        Project,
        Quota,
        TraineeProfile,
        Voivodeship,
    )
    from courses.services import quota_save

    now = datetime.datetime.now(datetime.UTC)
    run_id = secrets.token_hex(3)
    project = Project.objects.create(
        code=f"POWR.02.05.00-00-0201/20-{run_id}",
        name="Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        target_participants=count * 3,
    )
    slaskie = Voivodeship.objects.get(name="śląskie")
    quota = quota_save(
        quota=Quota(project=project, name="śląskie", size=count * 3),
        voivodeships=[slaskie],
    )
    course = Course.objects.create(
        code=f"praca-z-rodzina-{run_id}", title="Praca socjalna z rodziną", hours=24
    )

    def edition(n: int, capacity: int) -> Edition:
        return Edition.objects.create(
            course=course,
            project=project,
            code=f"PSR-{run_id}-{n:02d}",
            start_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=7 * n),
            end_date=datetime.date(2026, 3, 3) + datetime.timedelta(days=7 * n),
            capacity=capacity,
            enrolment_opens=now - datetime.timedelta(days=10),
            enrolment_closes=now + datetime.timedelta(days=300),
        )

    small = edition(0, SMALL)
    editions = [edition(n + 1, count) for n in range(EDITIONS)]
    institution = Institution.objects.create(
        name="Miejski Ośrodek Pomocy Społecznej w Katowicach",
        type=InstitutionType.MOPS,
        voivodeship=slaskie,
        county="Katowice",
        municipality="Katowice",
    )
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"bench-export-{run_id}-{i}@example.pl",
            email=f"bench-export-{run_id}-{i}@example.pl",
            password=password,
        )
        for i in range(count)
    )
    trainees = TraineeProfile.objects.bulk_create(
        TraineeProfile(
            user=user,
            first_name="Żaneta",
            last_name=f"Łęczycka-{i}",
            gender="K",
            position=Position.SOCIAL_WORKER,
            institution=institution,
        )
        for i, user in enumerate(users)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            trainee=trainee,
            edition=small if i < SMALL else editions[i % EDITIONS],
            quota=quota,
            voivodeship=slaskie,
            status=EnrolmentStatus.CONFIRMED,
        )
        for i, trainee in enumerate(trainees)
    )
    partner = PartnerOrganisation.objects.create(name=f"ROPS Katowice {run_id}")
    partner.projects.add(project)
    partner.voivodeships.add(slaskie)
    return partner, small, editions, run_id


def _export(*, partner, fmt: str, filters: dict) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.services.exports import export_render

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        _content, rows = export_render(
            organisation=partner, kind="enrolments", fmt=fmt, filters=filters
        )
        seconds = time.perf_counter() - started
    return seconds, rows, len(queries)


def _timed_import(*, kind: str, content: bytes, commit: bool):
    from courses.services.imports import import_run

    started = time.perf_counter()
    result = import_run(kind=kind, content=content, commit=commit)
    return time.perf_counter() - started, result


def _queued() -> tuple[int, int]:
    """Tasks in the queue (production's: the database's) and the e-mails they send."""
    from django_tasks_db.models import DBTaskResult

    tasks = emails = 0
    for name, args in DBTaskResult.objects.values_list("task_path", "args_kwargs"):
        tasks += 1
        if name.endswith("send_enrolment_emails_task"):
            emails += len(args["args"][0])
        elif name.endswith("send_enrolment_email_task"):
            emails += 1
    return tasks, emails


def _email_ms(*, editions, sample: int = 20) -> float:
    """What the task worker spends on one enrolment e-mail (off the import's path)."""
    from courses.models import Enrolment
    from courses.notifications import CONFIRMED, send_enrolment_email

    enrolments = Enrolment.objects.filter(edition__in=editions)[:sample]
    started = time.perf_counter()
    for enrolment in enrolments:
        send_enrolment_email(enrolment=enrolment, event=CONFIRMED)
    return (time.perf_counter() - started) * 1000 / max(len(enrolments), 1)


def run(*, count: int = COUNT) -> dict:
    """Export and import `count` rows; expects Django set up on a migrated database."""
    say(f"Creating {count:,} enrolments in a partner's scope ...")
    partner, small, editions, run_id = _world(count)
    xlsx_s, xlsx_rows, xlsx_queries = _export(partner=partner, fmt="xlsx", filters={})
    csv_s, csv_rows, csv_queries = _export(partner=partner, fmt="csv", filters={})
    _, small_rows, small_queries = _export(
        partner=partner, fmt="xlsx", filters={"edition": small.pk}
    )
    say(f"Exported {xlsx_rows:,} rows: XLSX {xlsx_s:.2f} s, CSV {csv_s:.2f} s")

    header = "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina\n"
    trainees = header + "".join(
        f"bench-import-{run_id}-{i}@example.pl;Grzegorz;Brzęczyszczykiewicz-{i};M;"
        "pracownik socjalny;Miejski Ośrodek Pomocy Społecznej w Katowicach;Katowice\n"
        for i in range(count)
    )
    content = trainees.encode("cp1250")
    dry_s, dry = _timed_import(kind="trainees", content=content, commit=False)
    commit_s, committed = _timed_import(kind="trainees", content=content, commit=True)
    say(f"Imported {count:,} trainees: dry run {dry_s:.2f} s, commit {commit_s:.2f} s")
    enrolments = "E-mail;Grupa\n" + "".join(
        f"bench-import-{run_id}-{i}@example.pl;{editions[i % EDITIONS].code}\n"
        for i in range(count)
    )
    content = enrolments.encode()
    e_dry_s, e_dry = _timed_import(kind="enrolments", content=content, commit=False)
    queued_before = _queued()
    e_commit_s, e_committed = _timed_import(
        kind="enrolments", content=content, commit=True
    )
    tasks, emails = (
        now - before for now, before in zip(_queued(), queued_before, strict=True)
    )
    say(f"Enrolled {count:,}: dry run {e_dry_s:.2f} s, commit {e_commit_s:.2f} s")
    email_ms = _email_ms(editions=editions)
    say(
        f"Queued {emails:,} e-mails in {tasks} task(s) for the worker; "
        f"it renders each in {email_ms:.1f} ms"
    )
    ok = (
        xlsx_rows == csv_rows == count
        and small_rows == SMALL
        and xlsx_queries == small_queries
        and dry.count("new") == count
        and committed.committed
        and not committed.errors
        and e_committed.committed
        and len(e_committed.rows) == count
        and emails == count
    )
    return {
        "rows": count,
        "export_xlsx_s": round(xlsx_s, 2),
        "export_csv_s": round(csv_s, 2),
        "import_dry_run_s": round(dry_s, 2),
        "import_commit_s": round(commit_s, 2),
        "import_kind": "trainees (CSV, Windows-1250)",
        "import_enrolments_dry_run_s": round(e_dry_s, 2),
        "import_enrolments_commit_s": round(e_commit_s, 2),
        "import_enrolments_tasks_queued": tasks,
        "import_enrolments_emails_queued": emails,
        "enrolment_email_render_ms": round(email_ms, 1),
        "export_queries_2020": xlsx_queries,
        "export_csv_queries_2020": csv_queries,
        "export_queries_20": small_queries,
        "ok": ok,
        "load_average": round(os.getloadavg()[0], 1),
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.export_import", description=__doc__
    )
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL database"
    )
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    sqlite = args.sqlite or not (args.postgres or os.environ.get("DATABASE_URL"))
    # Production's queue: the import queues its e-mails and the task worker sends them
    # (the immediate backend would render every e-mail inside the import).
    os.environ["DJANGO_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    with bench_django(sqlite=sqlite, prefix="bench-export-media-") as database:
        result = run(count=args.count)
        result.update(run_facts(database))
        write_result(KEY, result)
        say(f"Written to {RESULTS.name} under {KEY!r}: ok={result['ok']}")
        return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
