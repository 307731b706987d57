"""Seats of editions for the public pages, from the cache, forgotten on every change.

The course page, the edition page and the catalogue show each edition's taken and
waiting places. Counted from the enrolment rows that costs a query whose time grows
with the enrolments; here it is counted once and kept in Django's cache (Redis in
production, shared by every worker) until the seats change. What is cached is only
the two numbers of an edition, the same for everyone: nothing personal.

Versioned keys, so a change is never hidden by a read that raced it: each edition has
a version token (`courses:seats:v:<id>`), and the counts are kept under
`courses:seats:<id>:<token>`. Every committed change of an edition's seats sets a
new token: the services send `seats_changed` after the commit of everything that
changes them (enrolment, withdrawal, rejection, expiry, promotion, a move, more or
fewer seats, an import). A page that read the
old token before the change and counted before the commit stores its count under
the old token, which nobody reads again.

The counts are kept at most SEATS_TTL seconds, and never past the end of the first
pending hold of the edition (a place held for approval stops counting when its hold
ends). Enrolment itself never reads this cache: it counts the rows under its locks.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from .models import Edition, EnrolmentStatus
from .selectors import Seats, editions_with_seats

SEATS_TTL = 60  # seconds: the longest a count is kept, whatever else happens
SHARED_TTL = 60  # seconds: the longest a page shared by anonymous visitors is kept
VERSION_TTL = 24 * 3600


def _version_key(edition_id: int) -> str:
    return f"courses:seats:v:{edition_id}"


def _counts_key(edition_id: int, version: str) -> str:
    return f"courses:seats:{edition_id}:{version}"


def _versions(edition_ids: list[int]) -> dict[int, str]:
    keys = {pk: _version_key(pk) for pk in edition_ids}
    found = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in found]
    for pk in missing:
        # Another process may add one at the same moment: both read the winner.
        cache.add(keys[pk], secrets.token_hex(8), VERSION_TTL)
    if missing:
        found.update(cache.get_many([keys[pk] for pk in missing]))
    # A cache that keeps nothing (the dummy backend) answers no version: no caching.
    return {pk: found[key] for pk, key in keys.items() if key in found}


def cached_seats(*, editions: Iterable[Edition]) -> dict[int, Seats]:
    """Each edition's seats by its id: from the cache, the missing ones counted at once.

    The capacity is always the edition's own (the row the caller read); only the
    taken and waiting places are cached. Each edition object is given
    `seats_version` (the version its counts were read under, None without a cache)
    and `seats_fresh_until` (the time its counts stop being certain): what a page
    kept whole needs to know when it is stale (`share_with_anonymous`).
    """
    editions = list(editions)
    ids = [edition.pk for edition in editions]
    versions = _versions(ids)
    keys = {pk: _counts_key(pk, versions[pk]) for pk in ids if pk in versions}
    found = cache.get_many(keys.values()) if keys else {}
    now = timezone.now()
    counts: dict[int, tuple[int, int]] = {}
    fresh_until: dict[int, datetime.datetime] = {}
    for pk, key in keys.items():
        if key in found:
            value = found[key]
            counts[pk] = (value[0], value[1])
            # Stored without its end (an older entry): not certain past now.
            fresh_until[pk] = (
                datetime.datetime.fromtimestamp(value[2], tz=datetime.UTC)
                if len(value) > 2
                else now
            )
    todo = [pk for pk in ids if pk not in counts]
    if todo:
        rows = editions_with_seats(
            editions=Edition.objects.filter(pk__in=todo)
            .annotate(
                next_hold_end=Min(
                    "enrolments__hold_until",
                    filter=Q(
                        enrolments__status=EnrolmentStatus.PENDING,
                        enrolments__hold_until__gt=now,
                    ),
                )
            )
            .order_by()
        )
        for edition, seats in rows:
            counts[edition.pk] = (seats.taken, seats.waiting)
            timeout = SEATS_TTL
            next_hold_end = getattr(edition, "next_hold_end", None)
            if next_hold_end is not None:
                timeout = min(timeout, int((next_hold_end - now).total_seconds()))
            fresh_until[edition.pk] = now + datetime.timedelta(seconds=max(timeout, 0))
            if edition.pk not in keys:
                continue
            if timeout > 0:
                until = fresh_until[edition.pk].timestamp()
                cache.set(keys[edition.pk], (*counts[edition.pk], until), timeout)
    for edition in editions:
        setattr(edition, "seats_version", versions.get(edition.pk))  # noqa: B010
        setattr(edition, "seats_fresh_until", fresh_until.get(edition.pk, now))  # noqa: B010
    return {
        edition.pk: Seats(
            capacity=edition.capacity,
            taken=counts[edition.pk][0],
            waiting=counts[edition.pk][1],
        )
        for edition in editions
    }


def cached_editions_with_seats(
    *, editions: Iterable[Edition]
) -> list[tuple[Edition, Seats]]:
    """As selectors.editions_with_seats, for pages: the seats from the cache."""
    editions = list(editions)
    seats = cached_seats(editions=editions)
    return [(edition, seats[edition.pk]) for edition in editions]


@dataclass(frozen=True)
class SharedPage:
    """What a page shown alike to every anonymous visitor depends on (seats, time).

    A view sets it as `response.shared_with_anonymous`; the site's page cache
    (cms.anonymous_cache) may then keep the whole page until `until`, and serves it
    only while every edition's seats version is still the one the page was read
    under. Nothing here is personal: only editions' ids and versions.
    """

    seats_versions: dict[int, str]
    until: datetime.datetime


def share_with_anonymous(
    response, *, editions: Iterable[Edition], now: datetime.datetime
) -> None:
    """Mark a response as the same for every anonymous visitor, with its seats.

    `editions`: those whose seats and enrolment dates it shows, read through
    `cached_seats`. It is stale at the first of: an edition's seats changing (a new
    version), its counts' end, an edition's enrolment opening or closing, midnight
    (pages list the editions not yet over), SHARED_TTL.
    """
    until = now + datetime.timedelta(seconds=SHARED_TTL)
    local = timezone.localtime(now)
    midnight = (local + datetime.timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    until = min(until, midnight)
    versions: dict[int, str] = {}
    for edition in editions:
        version = getattr(edition, "seats_version", None)
        if version is None:
            return  # counted without a cache: nothing to tell a change by
        versions[edition.pk] = version
        until = min(until, getattr(edition, "seats_fresh_until", now))
        for moment in (edition.enrolment_opens, edition.enrolment_closes):
            if moment > now:
                until = min(until, moment)
    if until > now:
        setattr(response, "shared_with_anonymous", SharedPage(versions, until))  # noqa: B010


def seats_current(edition_ids: Iterable[int]) -> dict[int, str]:
    """The editions' seats versions now (those the cache has)."""
    keys = {pk: _version_key(pk) for pk in edition_ids}
    found = cache.get_many(keys.values()) if keys else {}
    return {pk: found[key] for pk, key in keys.items() if key in found}


def seats_forget(edition_ids: Iterable[int]) -> None:
    """The seats of these editions changed (committed): the next page counts them."""
    ids = set(edition_ids)
    if len(ids) == 1:
        # One enrolment, one edition: a plain SET, not set_many's MULTI/EXEC pipeline.
        cache.set(_version_key(ids.pop()), secrets.token_hex(8), VERSION_TTL)
        return
    cache.set_many(
        {_version_key(pk): secrets.token_hex(8) for pk in ids},
        VERSION_TTL,
    )


def on_seats_changed(sender, *, edition_ids, **kwargs) -> None:
    """Receiver of `seats_changed` (sent after the commit)."""
    seats_forget(edition_ids)
