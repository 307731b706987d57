"""The private files against the database: `manage.py storage_check`.

- Every file the database names exists and is whole. A file whose SHA-256 the database
  keeps (a certificate's PDF) must have exactly that content; every other private file
  (declarations, attendance scans, call attachments, exports) must decrypt with the
  configured keys: Fernet authenticates what it encrypted, so a truncated, damaged or
  foreign file fails (and so does one encrypted with a key the site no longer has).
- No file exists that the database does not name, in the folder or, when the private
  files are on S3-compatible object storage, under the bucket's prefix (an orphan: a
  crash between file and commit, a media folder newer than the database). Orphans younger than the grace
  period are left out: they may be being written right now.
- What the higher apps add through the hook `courses_storage_checks`, e.g. certificates:
  the numbering counter is never behind the highest number issued, in the database or
  on disk.

courses names neither certificates nor the site: the files they own and the checks
they need come in through two hooks (STORED_FILES_HOOK, STORAGE_CHECKS_HOOK).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .storage import private_storage

STORED_FILES_HOOK = "courses_stored_files"
STORAGE_CHECKS_HOOK = "courses_storage_checks"


@dataclass(frozen=True)
class StoredFile:
    """A private file the database names."""

    name: str  # relative to the private storage
    what: str  # what it is, in Polish, e.g. "zaświadczenie POWR/2026/00001"
    sha256: str = ""  # of the clear content, when the database keeps it


@dataclass
class Finding:
    """A problem a higher app found, and whether --repair fixed it."""

    message: str
    repaired: bool = False


@dataclass
class StorageReport:
    checked: int = 0
    missing: list[StoredFile] = field(default_factory=list)
    damaged: list[tuple[StoredFile, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    orphans_deleted: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """What is still wrong after the run (repaired findings and deleted orphans not)."""
        return (
            len(self.missing)
            + len(self.damaged)
            + len(self.orphans)
            - len(self.orphans_deleted)
            + sum(1 for finding in self.findings if not finding.repaired)
        )


def courses_stored_files() -> Iterator[StoredFile]:
    """The private files courses' own rows name."""
    from .models import ApplicationAttachment, Enrolment, ExportLog, SessionSheet

    for pk, name in Enrolment.objects.exclude(declaration="").values_list(
        "pk", "declaration"
    ):
        yield StoredFile(name, _("signed declaration of enrolment %(id)s") % {"id": pk})
    for session, name in SessionSheet.objects.exclude(scan="").values_list(
        "session_id", "scan"
    ):
        yield StoredFile(
            name, _("signed attendance list of session %(id)s") % {"id": session}
        )
    for pk, name in ApplicationAttachment.objects.exclude(file="").values_list(
        "application_id", "file"
    ):
        yield StoredFile(name, _("attachment of call application %(id)s") % {"id": pk})
    for pk, name in ExportLog.objects.exclude(file="").values_list("pk", "file"):
        yield StoredFile(name, _("export file %(id)s") % {"id": pk})


def stored_files() -> list[StoredFile]:
    files: list[StoredFile] = list(courses_stored_files())
    for contribute in hooks.get_hooks(STORED_FILES_HOOK):
        files.extend(contribute())
    return files


def files_on_disk() -> dict[str, float]:
    """Every file in the private storage (folder or bucket): name and modification time."""
    return private_storage().inventory()


def _check_file(file: StoredFile) -> str | None:
    """None if the file is whole, else why not (the file exists)."""
    storage = private_storage()
    try:
        with storage.open(file.name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise
    except Exception:  # InvalidToken: damaged, truncated, or another key's
        return _(
            "it cannot be decrypted with the configured keys "
            "(damaged, cut short or encrypted with another key)"
        )
    if file.sha256 and hashlib.sha256(content).hexdigest() != file.sha256:
        return _("its content differs from the one recorded (SHA-256)")
    return None


def storage_check(
    *,
    repair: bool = False,
    delete_orphans: bool = False,
    grace: timedelta = timedelta(hours=1),
) -> StorageReport:
    """Compare the private storage with the database; fix what is asked (see module)."""
    report = StorageReport()
    on_disk = files_on_disk()
    named: set[str] = set()
    for file in stored_files():
        named.add(file.name)
        report.checked += 1
        if file.name not in on_disk:
            report.missing.append(file)
            continue
        try:
            problem = _check_file(file)
        except FileNotFoundError:
            report.missing.append(file)
            continue
        if problem:
            report.damaged.append((file, problem))
    before = (timezone.now() - grace).timestamp()
    storage = private_storage()
    for name, modified in sorted(on_disk.items()):
        if name in named or modified >= before:
            continue
        report.orphans.append(name)
        if delete_orphans:
            storage.delete(name)
            report.orphans_deleted.append(name)
    check: Callable[..., Iterable[Finding]]
    for check in hooks.get_hooks(STORAGE_CHECKS_HOOK):
        report.findings.extend(check(on_disk=set(on_disk), repair=repair))
    return report
