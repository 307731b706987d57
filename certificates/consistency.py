"""What `manage.py storage_check` (courses.storage_check) checks for certificates.

- Each stored PDF with the SHA-256 recorded at issue.
- The numbering counter of each project and year is never behind the highest number
  issued: the highest in the database, and the highest a PDF on disk carries in its
  name (`certificates/<year>/<slug of the number>-<code>.pdf`). A database restored
  older than its media folder would otherwise give the numbers of the newer PDFs
  again, to other people with other codes. `--repair` moves the counter up (never
  down); the newer PDFs themselves are orphans, listed by the check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.models import Project
from courses.storage_check import Finding, StoredFile

from .models import Certificate, CertificateCounter

PDF_NAME = re.compile(
    r"^certificates/(?P<year>\d{4})/(?P<slug>[\w-]+)-(?P<code>\w+)\.pdf$"
)


def certificate_files() -> Iterator[StoredFile]:
    for number, name, digest in Certificate.objects.exclude(pdf="").values_list(
        "number", "pdf", "pdf_sha256"
    ):
        yield StoredFile(
            name, _("certificate %(number)s") % {"number": number}, sha256=digest
        )


def numbers_on_disk(names: set[str]) -> dict[tuple[int, int], int]:
    """{(project id, year): the highest sequence a PDF on disk is named with}."""
    prefixes = [
        (slugify(project_code), pk)
        for pk, project_code in Project.objects.values_list("pk", "code")
    ]
    # The longest prefix first: "X2026" before "X" when both are projects.
    prefixes.sort(key=lambda item: len(item[0]), reverse=True)
    highest: dict[tuple[int, int], int] = defaultdict(int)
    for name in names:
        match = PDF_NAME.match(name)
        if not match:
            continue
        year, slug = match["year"], match["slug"]
        for prefix, project in prefixes:
            start = f"{prefix}{year}"
            if slug.startswith(start) and slug[len(start) :].isdigit():
                key = (project, int(year))
                highest[key] = max(highest[key], int(slug[len(start) :]))
                break
    return highest


def counter_findings(*, on_disk: set[str], repair: bool) -> list[Finding]:
    """Counters behind the highest number issued (see module); moved up on repair."""
    in_database = {
        (row["project"], row["year"]): row["highest"]
        for row in Certificate.objects.values("project", "year").annotate(
            highest=Max("sequence")
        )
    }
    from_files = numbers_on_disk(on_disk)
    counters = {
        (c.project_id, c.year): c.last for c in CertificateCounter.objects.all()
    }
    codes = dict(Project.objects.values_list("pk", "code"))
    findings = []
    for key in sorted(set(in_database) | set(from_files)):
        project, year = key
        highest = max(in_database.get(key, 0), from_files.get(key, 0))
        last = counters.get(key, 0)
        if last >= highest:
            continue
        message = _(
            "The certificate number counter of project %(project)s for %(year)s "
            "stands at %(last)s, but number %(highest)s has been issued (highest in "
            "the database: %(db)s, in the PDF files: %(files)s): the next "
            "certificates would repeat numbers."
        ) % {
            "project": codes.get(project, project),
            "year": year,
            "last": last,
            "highest": highest,
            "db": in_database.get(key, 0),
            "files": from_files.get(key, 0),
        }
        repaired = False
        if repair:
            with transaction.atomic():
                counter, _created = (
                    CertificateCounter.objects.select_for_update().get_or_create(
                        project_id=project, year=year
                    )
                )
                if counter.last < highest:
                    counter.last = highest
                    counter.save(update_fields=["last"])
            repaired = True
        findings.append(Finding(message, repaired=repaired))
    return findings
