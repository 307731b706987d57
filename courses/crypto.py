"""Personal data at rest: PESEL numbers and private files encrypted, lookups by keyed hash.

Keys come from the environment (settings):

- `COURSES_ENCRYPTION_KEYS` (env `PRIVACY_ENCRYPTION_KEYS`): Fernet keys, comma
  separated, newest first. The first encrypts; every one of them decrypts, so a key
  is rotated by putting a new one first, running `manage.py privacy_rotate_keys`
  (re-encrypts every PESEL and private file with the first key) and then dropping the
  old one.
- `COURSES_HASH_KEY` (env `PRIVACY_HASH_KEY`): the key of the HMAC-SHA256 that stands
  in for a PESEL in uniqueness checks and import lookups. Rotating it: set the new
  key and run `privacy_rotate_keys`, which recomputes every hash from the decrypted
  numbers.

Without keys (development, tests) both are derived from SECRET_KEY; the production
settings refuse to start without them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

TOKEN_PREFIX = b"gAAAAA"  # every Fernet token starts so (version byte + timestamp)


def _derived(purpose: str) -> bytes:
    digest = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if not keys:
        keys = (_derived("courses-encryption").decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "COURSES_ENCRYPTION_KEYS", ()) or ())
    return _fernet(keys, settings.SECRET_KEY)


def hash_key() -> bytes:
    key = getattr(settings, "COURSES_HASH_KEY", "")
    return key.encode() if key else _derived("courses-hash")


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def encrypt_bytes(content: bytes) -> bytes:
    return fernet().encrypt(content)


def decrypt_bytes(content: bytes) -> bytes:
    """The clear bytes of a stored file; a file stored before encryption reads as is."""
    if not content.startswith(TOKEN_PREFIX):
        return content  # PDFs, JPEGs and PNGs never start like a token
    return fernet().decrypt(content)


def rotate_bytes(content: bytes) -> bytes:
    """The content encrypted with the newest key (plain content gets encrypted)."""
    if content.startswith(TOKEN_PREFIX):
        return fernet().rotate(content)
    return fernet().encrypt(content)


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a value: equal numbers match, the number cannot be read back."""
    return hmac.new(hash_key(), value.encode(), hashlib.sha256).hexdigest()


def pesel_mask(value: str) -> str:
    """A PESEL as staff see it by default: only the last three digits."""
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


__all__ = [
    "InvalidToken",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "keyed_hash",
    "pesel_mask",
    "rotate_bytes",
]
