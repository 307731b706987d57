import os
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction

from .crypto import decrypt_bytes, encrypt_bytes


@cache
def _s3_backend(config: tuple[tuple[str, object], ...]) -> Storage:
    """One S3 storage per configuration: its boto3 clients are made once per thread."""
    from storages.backends.s3 import S3Storage

    return S3Storage(**dict(config))


def private_s3_options() -> dict | None:
    """django-storages' S3Storage options of the private files, or None (on disk)."""
    options = getattr(settings, "PRIVATE_MEDIA_S3", None)
    return dict(options) if options else None


class PrivateStorage(Storage):
    """Files only checked views serve: kept apart from the public media, without a URL.

    Where they are is configuration: a folder (PRIVATE_MEDIA_ROOT, the default) or a
    bucket of S3-compatible object storage (PRIVATE_MEDIA_S3, from the environment's
    PRIVATE_MEDIA_S3_BUCKET, through django-storages). This storage only encrypts and
    decrypts and hands the bytes to that backend, which it looks up from the settings
    on every use, so tests and deployments that change either take effect without
    re-importing the models.

    Encrypted at rest with the platform's key (`courses.crypto`): a copied disk, bucket
    or backup holds no readable scan; the object store only ever sees ciphertext, so a
    bucket URL, signed or not, would give nothing readable and none is made: every
    download goes through a view that checks who asks and decrypts. Files are small
    (uploads are capped), so each is encrypted and decrypted whole in memory. A file
    stored before encryption reads as it is until `privacy_rotate_keys` encrypts it.
    """

    def backend(self) -> Storage:
        options = private_s3_options()
        if options:
            return _s3_backend(tuple(sorted(options.items())))
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)

    @property
    def on_object_storage(self) -> bool:
        return private_s3_options() is not None

    # -- what Django's file fields call ---------------------------------------------

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if not hasattr(content, "chunks"):
            content = File(content, name)
        content.seek(0)
        encrypted = ContentFile(encrypt_bytes(content.read()))
        return self.backend().save(name, encrypted, max_length=max_length)

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Private files are written through save(), not open().")
        return ContentFile(decrypt_bytes(self.read_stored(name)), name=name)

    def _save(self, name, content):  # pragma: no cover - save() does it all
        raise NotImplementedError

    def size(self, name):
        with self.open(name) as file:
            return file.size

    def exists(self, name):
        return self.backend().exists(name)

    def delete(self, name):
        self.backend().delete(name)

    def listdir(self, path):
        return self.backend().listdir(path)

    def path(self, name):
        return self.backend().path(name)

    def get_valid_name(self, name):
        return self.backend().get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend().generate_filename(filename)

    def get_modified_time(self, name):
        return self.backend().get_modified_time(name)

    def url(self, name):
        raise ValueError(
            "Private files have no URL; serve them through a checked view."
        )

    # -- what the platform's own commands need ---------------------------------------

    @property
    def location(self) -> str:
        """The folder of the files when they are on disk (PRIVATE_MEDIA_ROOT)."""
        return os.path.abspath(settings.PRIVATE_MEDIA_ROOT)

    def _key(self, backend, name: str) -> str:
        from storages.utils import clean_name

        return backend._normalize_name(clean_name(name))

    def read_stored(self, name: str) -> bytes:
        """The bytes exactly as stored (encrypted); FileNotFoundError if absent."""
        backend: Any = self.backend()
        if isinstance(backend, FileSystemStorage):
            with open(backend.path(name), "rb") as handle:
                return handle.read()
        from botocore.exceptions import ClientError

        try:
            answer = backend.connection.meta.client.get_object(
                Bucket=backend.bucket_name, Key=self._key(backend, name)
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from error
            raise
        return answer["Body"].read()

    def rewrite(self, name: str, content: bytes) -> None:
        """Replace a stored file's bytes whole (key rotation): `content` as it is."""
        backend: Any = self.backend()
        if isinstance(backend, FileSystemStorage):
            write_file_whole(backend.path(name), content)
            return
        # An object store replaces an object whole or not at all.
        backend.connection.meta.client.put_object(
            Bucket=backend.bucket_name, Key=self._key(backend, name), Body=content
        )

    def write_whole(self, name: str, content: bytes) -> None:
        """Encrypt `content` and put it at `name`, replacing what is there; no reader
        ever sees a part (on disk: a temporary file moved into place)."""
        self.rewrite(name, encrypt_bytes(content))

    def inventory(self) -> dict[str, float]:
        """Every stored file: its name and modification time (a POSIX timestamp)."""
        backend: Any = self.backend()
        found: dict[str, float] = {}
        if isinstance(backend, FileSystemStorage):
            root = backend.location
            for folder, _dirs, names in os.walk(root):
                for filename in names:
                    path = os.path.join(folder, filename)
                    name = os.path.relpath(path, root).replace(os.sep, "/")
                    try:
                        found[name] = os.path.getmtime(path)
                    except FileNotFoundError:  # removed while we looked
                        continue
            return found
        prefix = f"{backend.location}/" if backend.location else ""
        pages = backend.connection.meta.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=backend.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                found[item["Key"][len(prefix) :]] = item["LastModified"].timestamp()
        return found


TEMP_SUFFIX = ".part"


def write_file_whole(path: str, content: bytes) -> None:
    """Write a file so that it is there whole or not at all, never truncated.

    The bytes go to a temporary name beside it (ending in TEMP_SUFFIX, which sweeps
    recognise), are flushed to disk, then moved into place in one rename.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def private_storage() -> PrivateStorage:
    return PrivateStorage()


@contextmanager
def atomic_file_replacement(
    atomic: Callable[[], AbstractContextManager[object]] = transaction.atomic,
):
    """A transaction in which `save(field_file, name, content)` writes files safely.

    A file written in the block is deleted if the block fails, so no file outlives a
    rolled-back row; the file it replaced is deleted only once the row is committed.
    `atomic` opens the transaction: the services pass their locking_transaction.
    """
    written = []

    def save(field_file, name, content) -> None:
        previous = field_file.name
        field_file.save(name, content, save=False)
        written.append((field_file.storage, field_file.name))
        if previous and previous != field_file.name:
            storage = field_file.storage
            transaction.on_commit(lambda: storage.delete(previous))

    try:
        with atomic():
            yield save
    except Exception:
        for storage, name in written:
            storage.delete(name)
        raise
