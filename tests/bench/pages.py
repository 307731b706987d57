"""Pages served by gunicorn as in production, small and large data, beside bare Wagtail.

    python -m tests.bench.pages [--postgres | --sqlite] [--requests 300] [--clients 4]

The demo site (`load_demo_data`) on a throwaway database, plus a bare Wagtail page
(`tests.bench.ceiling.BarePage`: Wagtail's own view, a template that extends nothing)
as the ceiling. Each page is requested over HTTP by `--clients` connections; the
application CPU per request is the user plus system CPU of the gunicorn workers from
/proc (as the enrolment rush reads it), divided by the requests. The queries of one
request are counted in this process with Django's test client. Then 2,500 enrolments
are added to the demo project's editions (confirmed up to the seats, the rest on the
waiting list or withdrawn) and every page is measured again, the ceiling too, in the
same run. The result is merged into bench-results.json under "pages".

By default a throwaway PostgreSQL database on 127.0.0.1:5432 (user postgres);
`--sqlite` a SQLite file. With REDIS_URL set the workers share the Redis cache (as in
production); without it each has its own local memory cache.
"""

import argparse
import datetime
import os
import secrets
import sys
from importlib import import_module

from .common import RESULTS, bench_django, run_facts, say, write_result

KEY = "pages"
LARGE = 2500  # enrolments in the database for the "large" round
BARE_SLUG = "bench-bare"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.pages", description=__doc__
    )
    parser.add_argument("--requests", type=int, default=100, help="per page and round")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file")
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL database"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port (default: a free one)"
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record one worker with py-spy per page of the large round (PREFIX-page.txt)",
    )
    return parser.parse_args()


def _site() -> dict:
    """The demo site, the bare page, and the pages to measure with who asks for them."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from wagtail.models import Page

    from cms.models import CoursePage, HomePage
    from courses.models import Edition, Enrolment, EnrolmentStatus, TraineeProfile
    from tests.bench.ceiling.models import BarePage

    say("Loading the demo site ...")
    call_command("load_demo_data", verbosity=0)
    home = HomePage.objects.get()
    about = "".join(
        f"<p>{home.title}: akapit {n}. {home.lead}</p>" for n in range(1, 6)
    )
    bare = BarePage(title="Strona Wagtail bez niczego", slug=BARE_SLUG, body=about)
    home.add_child(instance=bare)
    # The course page whose course has the most upcoming published editions.
    today = datetime.date.today()
    pages = list(CoursePage.objects.live().exclude(course=None))
    course_page = max(
        pages,
        key=lambda p: Edition.objects.filter(
            course_id=p.course_id, is_published=True, end_date__gte=today
        ).count(),
    )
    edition = (
        Edition.objects.filter(
            course_id=course_page.course_id, is_published=True, end_date__gte=today
        )
        .order_by("start_date", "code")
        .first()
    )
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    if not Enrolment.objects.filter(trainee=trainee).exists():
        Enrolment.objects.create(
            trainee=trainee,
            edition=edition,
            voivodeship=trainee.institution.voivodeship,
            status=EnrolmentStatus.WAITLISTED,
        )
    user = get_user_model().objects.get(email="uczestnik@szkolenia.test")
    return {
        "session": _session(user),
        "project": edition.project,
        "urls": {
            "bare_wagtail": Page.objects.get(pk=bare.pk).url,
            "home": home.url,
            "course": course_page.url,
            "course_logged_in": course_page.url,
            "edition": f"/edycje/{edition.pk}/",
            "my_enrolments": "/moje-szkolenia/",
        },
        "logged_in": {"course_logged_in", "my_enrolments"},
    }


def _session(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "cms.auth_backends.PermissionsBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _grow(*, project, to: int) -> int:
    """Enrolments in the project's editions until the database holds `to` of them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count, Q

    from courses.models import (
        HOLDING,
        Edition,
        Enrolment,
        EnrolmentStatus,
        Institution,
        InstitutionType,
        Position,
        TraineeProfile,
    )

    missing = to - Enrolment.objects.count()
    if missing <= 0:
        return Enrolment.objects.count()
    editions = list(
        Edition.objects.filter(project=project).annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDING))
        )
    )
    quota = project.quotas.prefetch_related("voivodeships").first()
    voivodeship = quota.voivodeships.first()
    institution = Institution.objects.create(
        name="Ośrodek Pomocy Społecznej (benchmark stron)",
        type=InstitutionType.MOPS,
        voivodeship=voivodeship,
        county="powiat",
        municipality="gmina",
    )
    run_id = secrets.token_hex(3)
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"bench-pages-{run_id}-{n}@example.pl",
            email=f"bench-pages-{run_id}-{n}@example.pl",
            password=password,
        )
        for n in range(missing)
    )
    trainees = TraineeProfile.objects.bulk_create(
        TraineeProfile(
            user=user,
            first_name="Anna",
            last_name=f"Nowak-{n}",
            gender="K",
            position=Position.SOCIAL_WORKER,
            institution=institution,
        )
        for n, user in enumerate(users)
    )
    free = {e.pk: max(e.capacity - e.taken, 0) for e in editions}
    rows = []
    for n, trainee in enumerate(trainees):
        edition = editions[n % len(editions)]
        if free[edition.pk] > 0:
            free[edition.pk] -= 1
            status = EnrolmentStatus.CONFIRMED
        else:
            status = (
                EnrolmentStatus.WITHDRAWN if n % 3 == 0 else EnrolmentStatus.WAITLISTED
            )
        rows.append(
            Enrolment(
                trainee=trainee,
                edition=edition,
                quota=quota,
                voivodeship=voivodeship,
                status=status,
            )
        )
    Enrolment.objects.bulk_create(rows, batch_size=500)
    return Enrolment.objects.count()


def _queries(url: str, *, session: str | None) -> tuple[int, int]:
    """One request in this process: its status and the number of queries it made."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.get(url)  # caches warm, as in the workers
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def _measure(server, *, url: str, session: str | None, requests: int, clients: int):
    from . import load
    from .__main__ import WorkerCpu, _percentile

    headers = {"Accept": "text/html", "Accept-Language": "pl"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    jobs = [load.Job("GET", url, headers) for _ in range(requests)]
    load.run(port=server.port, jobs=jobs[: clients * 10], clients=clients)  # warm
    cpu = WorkerCpu(server)
    run = load.run(port=server.port, jobs=jobs, clients=clients)
    ok = [r for r in run.results if r.status == 200]
    latencies = sorted(r.seconds * 1000 for r in ok)
    return {
        "requests": len(run.results),
        "errors": len(run.results) - len(ok),
        "app_cpu_ms_per_request": cpu.per_request_ms(len(run.results)),
        "requests_per_s": round(len(ok) / run.wall_seconds, 1),
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "bytes": len(ok[0].body) if ok else 0,
    }


def _round(server, site: dict, *, args, profile: str | None = None) -> dict:
    from django.db import connections

    figures = {}
    for name, url in site["urls"].items():
        session = site["session"] if name in site["logged_in"] else None
        status, queries = _queries(url, session=session)
        connections.close_all()
        profiler = None
        if profile:
            from .__main__ import _profile_start

            profiler = _profile_start(server, f"{profile}-{name}.txt")
        figures[name] = {
            "url": url,
            "status": status,
            "queries": queries,
            **_measure(
                server,
                url=url,
                session=session,
                requests=args.requests,
                clients=args.clients,
            ),
        }
        if profiler is not None:
            from .__main__ import _profile_stop

            _profile_stop(profiler, f"{profile}-{name}.txt")
        row = figures[name]
        say(
            f"  {name:<18}{row['app_cpu_ms_per_request']!s:>8} ms CPU"
            f"{row['requests_per_s']!s:>8}/s  p95 {row['p95_ms']!s:>7} ms"
            f"{queries:>5} queries  errors {row['errors']}"
        )
    return figures


def _ratios(small: dict, large: dict) -> dict:
    """Each page's CPU beside the bare page's of the same round, and large / small."""

    def ratio(a, b):
        return round(a / b, 2) if a and b else None

    out = {}
    for name in small:
        out[name] = {
            "to_bare_small": ratio(
                small[name]["app_cpu_ms_per_request"],
                small["bare_wagtail"]["app_cpu_ms_per_request"],
            ),
            "to_bare_large": ratio(
                large[name]["app_cpu_ms_per_request"],
                large["bare_wagtail"]["app_cpu_ms_per_request"],
            ),
            "large_to_small": ratio(
                large[name]["app_cpu_ms_per_request"],
                small[name]["app_cpu_ms_per_request"],
            ),
            "queries_constant": small[name]["queries"] == large[name]["queries"],
        }
    return out


def main() -> int:
    args = _arguments()
    sqlite = args.sqlite and not args.postgres
    from .__main__ import Server

    with bench_django(sqlite=sqlite, prefix="bench-pages-media-") as database:
        from courses.models import Enrolment

        site = _site()
        small_count = Enrolment.objects.count()
        from django.db import connections

        connections.close_all()
        env = {**os.environ, "PYTHONPATH": str(RESULTS.parent)}
        server = Server(kind="wsgi", workers=args.workers, env=env, port=args.port)
        try:
            server.wait_ready()
            say(
                f"Server: gunicorn sync x {args.workers}; {args.clients} clients,"
                f" {args.requests} requests per page"
            )
            say(f"Small: {small_count} enrolments")
            small = _round(server, site, args=args)
            large_count = _grow(project=site["project"], to=LARGE)
            connections.close_all()
            say(f"Large: {large_count} enrolments")
            large = _round(server, site, args=args, profile=args.profile)
        finally:
            server.stop()
        ratios = _ratios(small, large)
        for name, row in ratios.items():
            say(
                f"  {name:<18} to bare {row['to_bare_small']!s:>5} / "
                f"{row['to_bare_large']!s:>5}  large/small {row['large_to_small']!s:>5}"
                f"  queries constant {row['queries_constant']}"
            )
        result = {
            "small": {"enrolments": small_count, "pages": small},
            "large": {"enrolments": large_count, "pages": large},
            "ratios": ratios,
            "workers": args.workers,
            "clients": args.clients,
            "server": "gunicorn sync",
            "cache": "redis" if os.environ.get("REDIS_URL") else "local memory",
            "load_average": [round(x, 1) for x in os.getloadavg()],
            **run_facts(database),
        }
        result["ok"] = all(
            row["status"] == 200 and row["errors"] == 0
            for round_ in (small, large)
            for row in round_.values()
        ) and all(r["queries_constant"] for r in ratios.values())
        write_result(KEY, result)
        say(f"Written to {RESULTS.name} under {KEY!r}.")
        if not result["ok"]:
            say(f"FAILED: a page did not answer 200 each time; log {server.log.name}")
        return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
