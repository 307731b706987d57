"""One archive of the database and the media together: `manage.py backup` and `restore`.

The archive (a .tar.gz) holds:

- `database/dump.pgc` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot)
  or `database/db.sqlite3` (SQLite: the online backup API, one consistent copy);
- `media/...`: the public media (images, documents);
- `private-media/...`: the private files exactly as stored, that is ENCRYPTED
  (courses.storage.PrivateStorage with PRIVACY_ENCRYPTION_KEYS). The keys are not in
  the archive and must be kept apart from it: an archive without its keys is useless,
  an archive with them is every scan in the clear;
- `manifest.json` (last): every member with its size and SHA-256, the database dump's
  hash, when it was made, the application's version and the migrations applied.

The database is dumped first, then the files are copied: a file written meanwhile is
an orphan in the archive (storage_check lists it, and the certificate counters take
its number into account), never a row without its file, unless a file was deleted in
that window.

`restore` verifies the whole archive against its manifest before touching anything,
refuses an archive of another database engine, of a newer application (migrations this
code does not know) or whose private files the configured keys cannot decrypt, then
unpacks beside the targets and swaps them in: the media folders by renaming (the
previous ones are kept as `<folder>.before-restore-<time>`), the database in one
transaction (PostgreSQL: the schema dropped and the dump restored by psql with
--single-transaction; SQLite: the backup API, itself one transaction). If the
database step fails the media folders are put back: all or nothing.

Either media root may be a bucket of S3-compatible object storage instead of a folder
(PRIVATE_MEDIA_S3_BUCKET, MEDIA_S3_BUCKET): the backup then reads every object under
the bucket's prefix (the private ones still as the ciphertext they are stored as) into
the same archive, so an archive restores onto a folder or a bucket alike. A bucket has
no rename, so its restore copies the objects under the prefix to
`<prefix>.before-restore-<time>/` on the server first, then replaces what is under the
prefix with the archive's objects; if the database step fails they are copied back.
Run a restore with the site stopped (every app machine): readers of a bucket would
see the objects change one by one.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "szkolenia-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ROOTS = ("media", "private-media")
CHUNK = 1024 * 1024
PACKAGE = "szkolenia-ops"


class BackupError(Exception):
    """The backup or the restore cannot go on; nothing was changed by a restore."""


@dataclass
class Restored:
    files: int
    previous: list[str]
    migrations_to_apply: int


@dataclass
class _Stored:
    """One file of a media root: its name under the root, size, time and how to read it."""

    name: str
    size: int
    mtime: float
    open: Callable[[], Any]  # a binary file or a streaming body


class _Folder:
    """A media root on disk: restored by renaming folders."""

    def __init__(self, path: Path):
        self.path = path

    def __str__(self) -> str:
        return str(self.path)

    def files(self) -> Iterator[_Stored]:
        if not self.path.is_dir():
            return
        for folder, dirs, names in os.walk(self.path):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    stat = path.stat()
                    yield _Stored(
                        path.relative_to(self.path).as_posix(),
                        stat.st_size,
                        stat.st_mtime,
                        functools.partial(open, path, "rb"),
                    )

    def check_restorable(self) -> None:
        if self.path.exists() and os.path.ismount(self.path):
            raise BackupError(
                _(
                    "%(path)s is a mount point: mount its parent folder instead, "
                    "so that the restore can swap the folder whole."
                )
                % {"path": self.path}
            )

    def staging(self, stamp: str) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        folder = self.path.with_name(f"{self.path.name}.restoring-{stamp}")
        folder.mkdir()
        return folder

    def set_aside(self, stamp: str) -> Path | None:
        if not self.path.exists():
            return None
        previous = self.path.with_name(f"{self.path.name}.before-restore-{stamp}")
        os.rename(self.path, previous)
        return previous

    def put_in_place(self, staged: Path) -> None:
        os.rename(staged, self.path)

    def kept(self, previous: Path) -> str:
        return str(previous)

    def put_back(self, previous: Path | None) -> None:
        if self.path.exists():
            shutil.rmtree(self.path)
        if previous is not None:
            os.rename(previous, self.path)


class _Bucket:
    """A media root on S3-compatible object storage: a bucket and a key prefix."""

    def __init__(self, storage):
        self.client = storage.connection.meta.client
        self.bucket = storage.bucket_name
        self.prefix = storage.location.strip("/")

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}/"

    def _keys(self, prefix: str) -> Iterator[dict]:
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=f"{prefix}/"):
            yield from page.get("Contents", [])

    def files(self) -> Iterator[_Stored]:
        start = len(self.prefix) + 1
        for item in sorted(self._keys(self.prefix), key=lambda item: item["Key"]):
            key = item["Key"]
            yield _Stored(
                key[start:],
                item["Size"],
                item["LastModified"].timestamp(),
                functools.partial(self._open, key),
            )

    def _open(self, key: str) -> Any:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from error
            raise

    def _copy(self, source: str, target: str) -> None:
        for item in self._keys(source):
            self.client.copy_object(
                Bucket=self.bucket,
                Key=target + item["Key"][len(source) :],
                CopySource={"Bucket": self.bucket, "Key": item["Key"]},
            )

    def _delete(self, prefix: str) -> None:
        keys = [{"Key": item["Key"]} for item in self._keys(prefix)]
        for start in range(0, len(keys), 1000):
            self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": keys[start : start + 1000]}
            )

    def check_restorable(self) -> None:
        if not self.prefix:
            raise BackupError(
                _(
                    "%(path)s has no key prefix: set one (PRIVATE_MEDIA_S3_PREFIX, "
                    "MEDIA_S3_PREFIX), so that the restore can keep the previous "
                    "objects beside it."
                )
                % {"path": self}
            )
        self.client.head_bucket(Bucket=self.bucket)

    def staging(self, stamp: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"restore-{self.bucket}-{stamp}-"))

    def set_aside(self, stamp: str) -> str:
        previous = f"{self.prefix}.before-restore-{stamp}"
        try:
            self._copy(self.prefix, previous)
        except BaseException:
            self._delete(previous)
            raise
        return previous

    def put_in_place(self, staged: Path) -> None:
        self._delete(self.prefix)
        for path in sorted(staged.rglob("*")):
            if path.is_file():
                key = f"{self.prefix}/{path.relative_to(staged).as_posix()}"
                with open(path, "rb") as handle:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=handle)
        shutil.rmtree(staged, ignore_errors=True)

    def kept(self, previous: str) -> str:
        return f"s3://{self.bucket}/{previous}/"

    def put_back(self, previous: str) -> None:
        self._delete(self.prefix)
        self._copy(previous, self.prefix)
        self._delete(previous)


def _roots() -> dict[str, _Folder | _Bucket]:
    """The public and the private media root: each a folder or a bucket."""
    from django.core.files.storage import default_storage

    from courses.storage import private_storage

    private = private_storage()
    public: _Folder | _Bucket = _Folder(Path(settings.MEDIA_ROOT))
    if hasattr(default_storage, "bucket_name"):  # django-storages' S3Storage
        public = _Bucket(default_storage)
    return {
        "media": public,
        "private-media": (
            _Bucket(private.backend())
            if private.on_object_storage
            else _Folder(Path(settings.PRIVATE_MEDIA_ROOT))
        ),
    }


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile and hashes exactly what tarfile took."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


# -- the database -------------------------------------------------------------------


def _pg_binary(name: str) -> str:
    """A PostgreSQL client program: the newest server's own, else the one on PATH."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parent.parent.name.split(".")[0]),
    )
    program = found[-1] if found else shutil.which(name)
    if not program:
        raise BackupError(_("The program %(name)s is not installed.") % {"name": name})
    return program


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-d", db["NAME"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s")
            % {"what": what, "error": done.stderr.strip()[-2000:]}
        )


def _dump_database(target: Path) -> str:
    """Write the database to `target`; its member name in the archive."""
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        _run(
            [_pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            + ["--file", str(target), *args],
            env,
            "pg_dump",
        )
        return "database/dump.pgc"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return "database/db.sqlite3"
    raise BackupError(
        _("The %(vendor)s database cannot be backed up.")
        % {"vendor": connection.vendor}
    )


def _restore_database(member: str, staged: Path) -> None:
    connections.close_all()
    if member == "database/dump.pgc":
        args, env = _pg_args()
        script = staged.with_suffix(".sql")
        _run(
            [_pg_binary("pg_restore"), "--no-owner", "--no-privileges"]
            + ["--file", str(script), str(staged)],
            env,
            "pg_restore",
        )
        prelude = staged.with_suffix(".prelude.sql")
        prelude.write_text(
            "SET lock_timeout = '30s';\n"
            "DROP SCHEMA IF EXISTS public CASCADE;\n"
            "CREATE SCHEMA public;\n"
        )
        _run(
            [_pg_binary("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
            + ["--single-transaction", "-f", str(prelude), "-f", str(script), *args],
            env,
            "psql",
        )
        return
    if member == "database/db.sqlite3":
        source = sqlite3.connect(str(staged))
        target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    raise BackupError(_("The archive holds no database."))


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _app_version() -> str:
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # pragma: no cover - not installed
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    return f"{version} ({commit})" if commit else version


# -- backup -------------------------------------------------------------------------


def _media_files() -> Iterator[tuple[str, _Stored]]:
    for prefix, root in _roots().items():
        for stored in root.files():
            yield f"{prefix}/{stored.name}", stored


def backup_create(target: Path) -> tuple[Path, dict]:
    """Write one archive to `target` (a file, or a folder to name one in)."""
    if target.is_dir():
        stamp = timezone.now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        target = target / f"szkolenia-{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        dump = Path(work) / "database"
        member = _dump_database(dump)
        manifest: dict = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "app_version": _app_version(),
            "database": {
                "vendor": connection.vendor,
                "member": member,
                "size": dump.stat().st_size,
                "sha256": _sha256_file(dump),
            },
            "migrations": _migrations(),
            "private_media_encrypted": True,
            "keys": _(
                "Private files are stored encrypted with PRIVACY_ENCRYPTION_KEYS, "
                "which are not in this archive: keep them apart from it."
            ),
            "files": [],
        }
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, arcname=member)
                for name, stored in _media_files():
                    try:
                        handle = stored.open()
                    except FileNotFoundError:
                        continue  # removed since it was listed
                    with closing(handle):
                        info = tarfile.TarInfo(name)
                        info.size = stored.size
                        info.mtime = int(stored.mtime)
                        info.mode = 0o600 if name.startswith("private-") else 0o644
                        reader = _HashingReader(handle)
                        archive.addfile(info, reader)  # type: ignore[arg-type]
                    manifest["files"].append(
                        {
                            "member": name,
                            "size": info.size,
                            "sha256": reader.digest.hexdigest(),
                        }
                    )
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return target, manifest


def backups_prune(folder: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives `backup` named in `folder`."""
    archives = sorted(folder.glob("szkolenia-*.tar.gz"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


# -- restore ------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(_("The archive has no manifest: it was not made by backup."))
    try:
        manifest = json.loads(handle.read())
    except ValueError as error:
        raise BackupError(_("The manifest cannot be read.")) from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != (
        FORMAT_VERSION
    ):
        raise BackupError(_("The archive is not a backup of this application."))
    return manifest


def _expected(manifest: dict) -> dict[str, tuple[int, str]]:
    expected = {
        file["member"]: (file["size"], file["sha256"]) for file in manifest["files"]
    }
    database = manifest["database"]
    expected[database["member"]] = (database["size"], database["sha256"])
    return expected


def _verify(archive: tarfile.TarFile, manifest: dict) -> list[str]:
    """Every difference between the archive and its manifest, in Polish."""
    problems = []
    expected = _expected(manifest)
    seen = set()
    for info in archive.getmembers():
        if info.name == MANIFEST:
            continue
        if not info.isfile() or not _safe_member(info.name):
            problems.append(_("%(name)s: not a plain file") % {"name": info.name})
            continue
        if info.name not in expected:
            problems.append(
                _("%(name)s: in the archive but not in the manifest")
                % {"name": info.name}
            )
            continue
        seen.add(info.name)
        size, digest = expected[info.name]
        handle = archive.extractfile(info)
        actual = hashlib.sha256()
        count = 0
        assert handle is not None
        while chunk := handle.read(CHUNK):
            actual.update(chunk)
            count += len(chunk)
        if count != size or actual.hexdigest() != digest:
            problems.append(
                _("%(name)s: its size or SHA-256 differs from the manifest")
                % {"name": info.name}
            )
    for name in sorted(set(expected) - seen):
        problems.append(_("%(name)s: in the manifest but missing") % {"name": name})
    return problems


def _check_compatible(manifest: dict) -> int:
    """Refuse what this code cannot take; the number of migrations still to apply."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "The archive holds a %(archive)s database; this site runs on "
                "%(site)s. Restore it into the same kind of database."
            )
            % {"archive": vendor, "site": connection.vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {
        (app, name) for app, names in manifest["migrations"].items() for name in names
    }
    unknown = sorted(archived - known)
    if unknown:
        raise BackupError(
            _(
                "The archive comes from a newer version of the application "
                "(%(version)s): this code does not know its migrations %(names)s. "
                "Install that version first."
            )
            % {
                "version": manifest.get("app_version", "?"),
                "names": ", ".join(f"{app}.{name}" for app, name in unknown[:5]),
            }
        )
    return len(known - archived)


def _check_keys(archive: tarfile.TarFile, manifest: dict) -> None:
    """Refuse private files that none of the configured keys decrypts."""
    from courses.crypto import TOKEN_PREFIX, fernet

    tried = 0
    for file in manifest["files"]:
        if not file["member"].startswith("private-media/"):
            continue
        handle = archive.extractfile(file["member"])
        assert handle is not None
        content = handle.read()
        if not content.startswith(TOKEN_PREFIX):
            continue
        try:
            fernet().decrypt(content)
            return
        except Exception:
            tried += 1
            if tried >= 3:
                break
    if tried:
        raise BackupError(
            _(
                "The private files of the archive cannot be decrypted with the "
                "configured PRIVACY_ENCRYPTION_KEYS: set the keys the archive was "
                "made with (they are kept apart from backups) and try again."
            )
        )


def _extract(
    archive: tarfile.TarFile, manifest: dict, staging: dict[str, Path], db: Path
):
    expected = _expected(manifest)
    count = 0
    for info in archive.getmembers():
        if info.name == MANIFEST:
            continue
        prefix, _sep, rest = info.name.partition("/")
        target = db if info.name == manifest["database"]["member"] else None
        if target is None:
            target = staging[prefix] / rest
            count += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        source = archive.extractfile(info)
        assert source is not None
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[info.name][1]:
            raise BackupError(
                _("%(name)s changed while it was unpacked.") % {"name": info.name}
            )
    return count


def backup_restore(path: Path) -> Restored:
    """Restore an archive of `backup_create`, all or nothing (see module)."""
    if not path.is_file():
        raise BackupError(_("There is no archive %(path)s.") % {"path": path})
    try:
        archive = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            _("%(path)s is not a readable archive: %(error)s")
            % {"path": path, "error": error}
        ) from error
    with archive:
        manifest = _read_manifest(archive)
        problems = _verify(archive, manifest)
        if problems:
            raise BackupError(
                _("The archive does not match its manifest; nothing was restored:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems[:50])
            )
        pending = _check_compatible(manifest)
        _check_keys(archive, manifest)
        roots = _roots()
        for root in roots.values():
            root.check_restorable()
        # To the microsecond: two restores within one second must not share the place
        # where the first one kept what it replaced (the second's rollback would take
        # those files back, then delete them).
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        staging: dict[str, Path] = {}
        # Beside the private folder (room for the database dump), wherever it is.
        near = Path(settings.PRIVATE_MEDIA_ROOT).parent
        near.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="restore-", dir=near))
        swapped: list[tuple[_Folder | _Bucket, Any]] = []
        try:
            for prefix, root in roots.items():
                staging[prefix] = root.staging(stamp)
            files = _extract(archive, manifest, staging, work / "database")
            for prefix, root in roots.items():
                previous = root.set_aside(stamp)
                swapped.append((root, previous))
                root.put_in_place(staging[prefix])
            _restore_database(manifest["database"]["member"], work / "database")
        except BaseException:
            for root, previous in reversed(swapped):
                root.put_back(previous)
            for folder in staging.values():
                shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return Restored(
        files=files,
        previous=[root.kept(previous) for root, previous in swapped if previous],
        migrations_to_apply=pending,
    )
