"""A version kept in the shared cache that names one generation of cached reads.

Reads kept under keys that hold the version are current while it is (the clauses'
and the eligibility rules' here, the site's content in the site that uses courses); any
change of what they were read from sets a new version (now, and again once the
transaction commits: a read made from the old rows in between was kept under the
version renewed first, which nobody reads after the commit). Old entries are never
read again and expire by their own timeout.
"""

import secrets

from django.core.cache import cache
from django.db import transaction


class CacheVersion:
    """`timeout`: how long the cache keeps the version (None: until it is renewed)."""

    def __init__(self, key: str, *, timeout: int | None = None) -> None:
        self.key = key
        self.timeout = timeout

    def current(self) -> str | None:
        """The version, a new one if the cache has none; None from a cache that keeps nothing."""
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, secrets.token_hex(8), self.timeout)
            version = cache.get(self.key)
        return version

    def renew(self) -> None:
        cache.set(self.key, secrets.token_hex(8), self.timeout)

    def changed(self, **kwargs) -> None:
        """Receiver of the signals that change what is kept."""
        self.renew()
        transaction.on_commit(self.renew)
