"""Key rotation: everything encrypted re-encrypted with the newest key, hashes recomputed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..crypto import TOKEN_PREFIX, rotate_bytes
from ..models import TraineeProfile
from ..storage import private_storage


@dataclass
class Rotation:
    pesels: int = 0
    files: int = 0
    plain_files: int = 0


def keys_rotate() -> Rotation:
    """Re-encrypt every PESEL and private file with the first key; recompute the hashes.

    Run after putting a new key first in PRIVACY_ENCRYPTION_KEYS (or a new
    PRIVACY_HASH_KEY); the old key can be dropped once it has finished.
    """
    done = Rotation()
    with transaction.atomic():
        for trainee in TraineeProfile.objects.exclude(pesel="").select_for_update():
            trainee.save(update_fields=["pesel", "pesel_hash"])
            done.pesels += 1
    storage = private_storage()
    for name in sorted(storage.inventory()):  # on disk or in the bucket
        try:
            stored = storage.read_stored(name)
        except FileNotFoundError:  # deleted since it was listed
            continue
        if not stored.startswith(TOKEN_PREFIX):
            done.plain_files += 1
        storage.rewrite(name, rotate_bytes(stored))
        done.files += 1
    return done
