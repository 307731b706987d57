import os
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from .crypto import decrypt_bytes, encrypt_bytes


class PrivateStorage(FileSystemStorage):
    """Files only checked views serve: kept outside MEDIA_ROOT and without any URL.

    Encrypted at rest with the platform's key (`courses.crypto`): a copied disk or
    backup of the folder holds no readable scan. Files are small (uploads are capped),
    so each is encrypted and decrypted whole in memory. A file stored before
    encryption reads as it is until `privacy_rotate_keys` encrypts it.

    The location is read from settings on every use, so tests and deployments that
    change PRIVATE_MEDIA_ROOT take effect without re-importing the models.
    """

    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(encrypt_bytes(content.read())))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Private files are written through save(), not open().")
        with super()._open(name, "rb") as stored:
            clear = decrypt_bytes(stored.read())
        file = ContentFile(clear, name=name)
        return file

    def size(self, name):
        with self.open(name) as file:
            return file.size

    def rewrite(self, name: str, content: bytes) -> None:
        """Replace a stored file's bytes in place (key rotation)."""
        target = self.path(name)
        with open(f"{target}.rotating", "wb") as handle:
            handle.write(content)
        os.replace(f"{target}.rotating", target)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError(
            "Private files have no URL; serve them through a checked view."
        )


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
