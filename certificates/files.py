"""The certificates' PDF files: written whole or not at all, and read only if unchanged.

A file is written under a temporary name beside its place and moved into place in one
rename, so nobody ever reads half a file (a full disk leaves a temporary file, never a
truncated certificate). Object storages (S3) store an object whole or not at all, so
there the upload itself is the move. The private storage writes so itself, encrypted. The SHA-256 of what was written is kept on the
certificate: a file whose content differs from it is never served.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

from courses.storage import write_file_whole

logger = logging.getLogger(__name__)


class CertificateFileError(Exception):
    """The stored file is missing or differs from what was issued."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_whole(storage: Storage, name: str, data: bytes) -> None:
    """Put `data` at `name`, replacing what is there, so that no reader sees a part.

    The private storage (courses.storage.PrivateStorage) does it itself, encrypting
    the PDF as it does every private file, on disk or on object storage.
    """
    own = getattr(storage, "write_whole", None)
    if own is not None:
        own(name, data)
        return
    if isinstance(storage, FileSystemStorage):
        write_file_whole(storage.path(name), data)
        return
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, ContentFile(data))
    if stored != name:  # pragma: no cover - a storage that renames instead of replacing
        storage.delete(stored)
        raise OSError(f"the storage saved {name!r} as {stored!r}")


def read_verified(*, storage: Storage, name: str | None, expected_sha256: str) -> bytes:
    """The file's bytes if it exists and its SHA-256 is the one recorded at issue."""
    if not name or not expected_sha256:
        raise CertificateFileError("no stored file", code="not_stored")
    try:
        with storage.open(name, "rb") as file:
            data = file.read()
    except Exception as error:  # not found, unreadable, storage unreachable
        logger.error("Certificate file %s cannot be read: %s", name, error)
        raise CertificateFileError("file missing", code="missing") from error
    if sha256(data) != expected_sha256:
        logger.error("Certificate file %s differs from the one issued", name)
        raise CertificateFileError("file differs", code="differs")
    return data
