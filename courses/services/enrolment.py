"""Enrolment: places held against every limit, under concurrency, with nothing lost.

Locking follows pretix: inside one transaction, lock the limits that can shrink in a
fixed order (quotas by id, then editions by id), as late as possible, recount from the
enrolment rows, then write. Nothing is cached: counts come from the rows every time.

- Creating an enrolment locks the trainee's own quota and the edition. That is enough:
  a new enrolment can only take places, never free them.
- Anything that frees a place (withdrawal, rejection, expiry, a move, more seats,
  more quota places) and anything that shrinks a limit (fewer seats, fewer quota
  places) locks every quota of the project first. Every writer in the project needs
  one of those locks, so once they are held the waiting list cannot change under us;
  then it locks the editions involved and promotes the first waiting trainees who fit
  every limit.
- Every verb that changes an enrolment locks that row, last in the order (after the
  quotas and editions it needs), and decides on the row as read under the lock:
  approving needs only the row (it takes no place); withdrawing, rejecting, moving
  and expiring lock it after the project's limits; promotion locks the waiting rows.
  `enrolment_set_status` writes only if the status is still the one read, so a
  change made stale by another writer fails with code "stale" instead of forking
  the history.

Every transaction here is a `locking_transaction()`: a lock not granted within the
lock timeout ends in EnrolmentError(code="busy") instead of a hang. On SQLite
`select_for_update()` is a no-op; there the IMMEDIATE transactions set in settings
serialize writers instead.
"""

import functools
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..errors import EnrolmentError
from ..models import (
    HOLDING,
    LIVE,
    Edition,
    Enrolment,
    EnrolmentEvent,
    Project,
    Quota,
    TraineeProfile,
)
from ..models import EnrolmentStatus as Status
from ..signals import seats_changed
from .actors import Actor, actor_user
from .eligibility import eligibility_with_quota
from .locking import (
    lock_enrolment,
    lock_project,
    lock_timeout_sql,
    lock_waiting,
    locking_transaction,
)
from .status import (
    enrolment_announce_status,
    enrolment_record_status,
    enrolment_set_status,
)


class _Tally:
    """Seats and quota persons in use, recounted from the rows once the locks are held."""

    def __init__(self, *, edition_ids: Iterable[int], quota_ids: Iterable[int]) -> None:
        holding = Enrolment.objects.filter(status__in=HOLDING)
        seats = holding.filter(edition_id__in=edition_ids).values("edition_id")
        self.seats = Counter(
            {row["edition_id"]: row["n"] for row in seats.annotate(n=Count("id"))}
        )
        self.holders: dict[int, set[int]] = {quota_id: set() for quota_id in quota_ids}
        rows = holding.filter(quota_id__in=quota_ids).values_list(
            "quota_id", "trainee_id"
        )
        # order_by() drops the model's ordering, which would widen the DISTINCT.
        for quota_id, trainee_id in rows.order_by().distinct():
            self.holders[quota_id].add(trainee_id)

    def fits(self, *, edition: Edition, quota: Quota | None, trainee_id: int) -> bool:
        if self.seats[edition.pk] >= edition.capacity:
            return False
        if quota is None:
            return True
        holders = self.holders[quota.pk]
        return trainee_id in holders or len(holders) < quota.size

    def take(self, *, edition_id: int, quota_id: int | None, trainee_id: int) -> None:
        self.seats[edition_id] += 1
        if quota_id is not None:
            self.holders[quota_id].add(trainee_id)


def _held_status(project: Project) -> tuple[Status, datetime | None]:
    if project.requires_approval:
        return Status.PENDING, timezone.now() + timedelta(
            days=project.pending_hold_days
        )
    return Status.CONFIRMED, None


def _announce_seats(edition_ids: Iterable[int]) -> None:
    ids = sorted(set(edition_ids))
    transaction.on_commit(lambda: seats_changed.send(sender=Edition, edition_ids=ids))


def _promote(*, project: Project, editions: dict[int, Edition]) -> list[Enrolment]:
    """Give freed places to the first waiting trainees who fit every limit."""
    quotas = {quota.pk: quota for quota in project.quotas.all()}
    tally = _Tally(edition_ids=editions.keys(), quota_ids=quotas.keys())
    promoted = []
    # Locked, last in the order: a withdrawal or rejection of a waiting trainee
    # committed meanwhile is seen, not overwritten.
    waiting = lock_waiting(edition_ids=editions.keys())
    status, hold_until = _held_status(project)
    for enrolment in waiting:
        edition = editions[enrolment.edition_id]
        quota = quotas.get(enrolment.quota_id) if enrolment.quota_id else None
        if not tally.fits(
            edition=edition, quota=quota, trainee_id=enrolment.trainee_id
        ):
            continue
        tally.take(
            edition_id=edition.pk,
            quota_id=enrolment.quota_id,
            trainee_id=enrolment.trainee_id,
        )
        enrolment_set_status(
            enrolment=enrolment,
            status=status,
            hold_until=hold_until,
            reason=_("A place became free."),
        )
        promoted.append(enrolment)
    return promoted


def _count_for_new(
    *, trainee: TraineeProfile, edition: Edition, quota: Quota | None
) -> dict[str, int]:
    """Under the locks, recount from the rows in one query what a new enrolment needs."""
    live_here = Q(edition=edition, trainee=trainee)
    seats = Q(edition=edition, status__in=HOLDING)
    counts: dict[str, Any] = {
        "live_here": Count("pk", filter=live_here),
        "seats": Count("pk", filter=seats),
    }
    rows = Q(edition=edition)
    if quota is not None:
        in_quota = Q(quota=quota, status__in=HOLDING)
        counts["persons"] = Count("trainee_id", distinct=True, filter=in_quota)
        counts["holds_quota"] = Count("pk", filter=in_quota & Q(trainee=trainee))
        rows |= Q(quota=quota)
    return Enrolment.objects.filter(rows, status__in=LIVE).aggregate(**counts)


def _insert_values(instance: Any) -> tuple[list[str], list[Any]]:
    """Every concrete column of a new row but its key, prepared as `save()` would."""
    columns, values = [], []
    for field in type(instance)._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        value = field.pre_save(instance, True)
        values.append(field.get_db_prep_save(value, connection=connection))
    return columns, values


@functools.lru_cache(maxsize=16)
def _batch_sql(
    *,
    columns: tuple[str, ...],
    chosen: tuple[str, ...],
    event_columns: tuple[str, ...],
    logged: tuple[str, ...],
    with_quota: bool,
    with_lapsed: bool,
    set_timeout: str,
) -> str:
    """The text of `_create_in_one_batch`'s statements, built once per shape and process.

    Only the values change from one enrolment to the next: they are bound as
    parameters, in the order `_create_in_one_batch` lists them.
    """
    quote = connection.ops.quote_name
    holding = ", ".join(["%s"] * len(HOLDING))
    lapsed = "FALSE"
    if with_lapsed:
        lapsed = f"""EXISTS (
        SELECT 1 FROM {quote(Enrolment._meta.db_table)} AS held
        JOIN {quote(Edition._meta.db_table)} AS edition ON edition.id = held.edition_id
        WHERE edition.project_id = %s AND held.status = %s AND held.hold_until < %s
    )"""
    live = ", ".join(["%s"] * len(LIVE))
    rows, quotas, editions = (
        quote(Enrolment._meta.db_table),
        quote(Quota._meta.db_table),
        quote(Edition._meta.db_table),
    )
    statements: list[str] = [set_timeout]
    if with_quota:
        statements.append(f"SELECT 1 FROM {quotas} WHERE id = %s FOR UPDATE")
    statements.append(f"SELECT 1 FROM {editions} WHERE id = %s FOR UPDATE")
    statements.append(
        f"""WITH counts AS (
    SELECT
        COUNT(*) FILTER (WHERE edition_id = %s AND trainee_id = %s) AS live_here,
        COUNT(*) FILTER (WHERE edition_id = %s AND status IN ({holding})) AS seats,
        COUNT(DISTINCT trainee_id)
            FILTER (WHERE quota_id = %s AND status IN ({holding})) AS persons,
        COUNT(*) FILTER (
            WHERE quota_id = %s AND trainee_id = %s AND status IN ({holding})
        ) AS holds_quota
    FROM {rows}
    WHERE status IN ({live}) AND (edition_id = %s OR quota_id = %s)
), decided AS (
    SELECT counts.live_here, (
        counts.seats < edition.capacity
        AND (quota.size IS NULL OR counts.holds_quota > 0 OR counts.persons < quota.size)
    ) AS fits, {lapsed} AS lapsed
    FROM counts
    CROSS JOIN (SELECT capacity FROM {editions} WHERE id = %s) AS edition
    LEFT JOIN (SELECT size FROM {quotas} WHERE id = %s) AS quota ON TRUE
), new AS (
    INSERT INTO {rows} ({", ".join(quote(c) for c in columns)})
    SELECT {", ".join(chosen)} FROM decided WHERE live_here = 0 AND NOT lapsed
    RETURNING id, status, hold_until, created_at
), logged AS (
    INSERT INTO {quote(EnrolmentEvent._meta.db_table)}
        ({", ".join(quote(c) for c in event_columns)})
    SELECT {", ".join(logged)} FROM new
    RETURNING id
)
SELECT decided.lapsed, new.id, new.status, new.hold_until, new.created_at, logged.id
FROM decided LEFT JOIN new ON TRUE LEFT JOIN logged ON TRUE"""
    )
    return ";\n".join(statements)


def _create_in_one_batch(
    *,
    trainee: TraineeProfile,
    edition: Edition,
    quota: Quota | None,
    held: tuple[Status, datetime | None],
    actor: Actor,
    lapsed_before: datetime | None,
) -> tuple[Enrolment | None, bool]:
    """PostgreSQL: lock, recount, decide and write in one round trip.

    Returns the new enrolment, or None when the trainee already has a live one in the
    edition; and whether the project has a pending place held past `lapsed_before`
    (then nothing is written: the caller expires them first).

    One batch of statements (then the commit) while the locks are held: `SET LOCAL
    lock_timeout`, the quota's lock, the edition's lock, then one statement that
    recounts from the rows and inserts the enrolment (held when every limit has room,
    waitlisted otherwise) with its history, or nothing when the trainee already has a
    live enrolment in the edition. The statements of a batch run one after the other
    and, under READ COMMITTED, each takes its own snapshot when it starts: the recount
    follows both locks and sees every enrolment committed before they were granted
    (the same order as the ORM path: lock first, then count). Columns and values come
    from the models, so a field added later is written as `save()` would write it.
    """
    now = timezone.now()
    enrolment = Enrolment(
        trainee=trainee,
        edition=edition,
        quota=quota,
        voivodeship_id=trainee.institution.voivodeship_id,
        status=Status.WAITLISTED,
    )
    enrolment.created_at = enrolment.updated_at = now
    columns, values = _insert_values(enrolment)
    chosen: list[str] = []
    chosen_params: list[Any] = []
    for column, value in zip(columns, values, strict=True):
        if column == "status":
            chosen.append("CASE WHEN fits THEN %s ELSE %s END")
            chosen_params += [held[0].value, Status.WAITLISTED.value]
        elif column == "hold_until":
            chosen.append("CASE WHEN fits THEN %s::timestamptz END")
            chosen_params.append(held[1])
        elif column in ("created_at", "updated_at"):
            # Arrival is when the row is written, after the locks (as save() would
            # stamp it): first come, first served follows the order of the locks.
            chosen.append("clock_timestamp()")
        else:
            chosen.append("%s")
            chosen_params.append(value)
    event = EnrolmentEvent(
        from_status="", to_status=Status.WAITLISTED, actor=actor_user(actor)
    )
    event.created_at = now
    event_columns, event_values = _insert_values(event)
    logged, logged_params = [], []
    for column, value in zip(event_columns, event_values, strict=True):
        if column == "enrolment_id":
            logged.append("new.id")
        elif column == "to_status":
            logged.append("new.status")
        elif column == "created_at":
            logged.append("new.created_at")
        else:
            logged.append("%s")
            logged_params.append(value)
    quota_id = quota.pk if quota is not None else None
    sql = _batch_sql(
        columns=tuple(columns),
        chosen=tuple(chosen),
        event_columns=tuple(event_columns),
        logged=tuple(logged),
        with_quota=quota is not None,
        with_lapsed=lapsed_before is not None,
        set_timeout=lock_timeout_sql(),  # a key too: the setting may change
    )
    params: list[Any] = [quota_id] if quota is not None else []
    params.append(edition.pk)
    params += [edition.pk, trainee.pk, edition.pk, *HOLDING]
    params += [quota_id, *HOLDING, quota_id, trainee.pk, *HOLDING]
    params += [*LIVE, edition.pk, quota_id]
    if lapsed_before is not None:
        params += [edition.project_id, Status.PENDING.value, lapsed_before]
    params += [edition.pk, quota_id]
    params += chosen_params + logged_params
    with connection.cursor() as cursor:
        # Client-side binding (Django's default with psycopg 3): one simple query.
        cursor.execute(
            sql,
            [str(p) if isinstance(p, Status) else p for p in params],
        )
        while cursor.nextset():
            pass  # the results of SET and the locks; the last is the insert's
        lapsed_found, *row = cursor.fetchone()
    if lapsed_found or row[0] is None:
        return None, lapsed_found
    enrolment.pk, enrolment.status, enrolment.hold_until, created, event.pk = row
    enrolment.created_at = enrolment.updated_at = event.created_at = created
    event.enrolment, event.to_status = enrolment, enrolment.status
    for instance in (enrolment, event):
        instance._state.adding = False
        instance._state.db = connection.alias
        # What save() would have told a receiver (an audit log, say).
        post_save.send(
            sender=type(instance),
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
    enrolment_announce_status(enrolment=enrolment, previous="", actor=actor)
    return enrolment, False


def _own_pre_save(model: type) -> bool:
    """Whether a `pre_save` receiver is connected for this model itself.

    Receivers for every sender (Wagtail's locale of translatable pages, the task
    queue's own rows) look at their own models only and are not counted.
    """
    return any(key[1] == id(model) for key, *_ in pre_save.receivers)


def _create_postgresql(
    *,
    trainee: TraineeProfile,
    edition: Edition,
    quota: Quota | None,
    actor: Actor,
    at: datetime,
) -> Enrolment:
    """`enrolment_create` on PostgreSQL: one batch, after the lapsed holds if any.

    A pending place past its hold stops the batch before it writes (the batch checks
    for one as it counts); the project's lapsed holds are then expired, their places
    given to the waiting list first (first come, first served), and the batch runs
    again. So no query is spent on expiry while nothing has lapsed, and a lapsed hold
    never blocks a new enrolment. `manage.py expire_enrolments` sweeps the rest.
    """
    project = edition.project
    lapsed_before = at if project.requires_approval else None
    created: Enrolment | None = None
    # The batch is the whole transaction: sent on its own (no atomic block around
    # it) PostgreSQL runs it as one implicit transaction, without BEGIN and COMMIT
    # round trips. Not when a post_save receiver listens: it hears of the rows inside
    # the transaction, as save() would tell it.
    one_batch = not (
        post_save.has_listeners(Enrolment) or post_save.has_listeners(EnrolmentEvent)
    )
    for _attempt in range(3):
        try:
            with locking_transaction(set_timeout=False, one_batch=one_batch):
                created, lapsed = _create_in_one_batch(
                    trainee=trainee,
                    edition=edition,
                    quota=quota,
                    held=_held_status(project),
                    actor=actor,
                    lapsed_before=lapsed_before,
                )
                if created is not None:
                    _announce_seats([edition.pk])
        except IntegrityError:
            # A twin request committed first (the unique constraint).
            if not Enrolment.objects.filter(
                trainee=trainee, edition=edition, status__in=LIVE
            ).exists():
                raise
            break
        if not lapsed:
            break
        enrolments_expire(project=project, now=at)
    if created is not None:
        return created
    # Already enrolled: the live enrolment, committed before our batch.
    return Enrolment.objects.get(trainee=trainee, edition=edition, status__in=LIVE)


def enrolment_create(
    *,
    trainee: TraineeProfile,
    edition: Edition,
    actor: Actor = None,
    at: datetime | None = None,
) -> Enrolment:
    """Enrol, or waitlist when any limit is full; a repeated request returns the same row."""
    at = at or timezone.now()
    problems, quota = eligibility_with_quota(trainee=trainee, edition=edition, at=at)
    if problems:
        # A repeat of a request that enrolled (the window closed since) is no error.
        existing = Enrolment.objects.filter(
            trainee=trainee, edition=edition, status__in=LIVE
        ).first()
        if existing:
            return existing
        raise EnrolmentError(" ".join(problems), code="ineligible")
    # A repeat with nothing in the way is found under the locks (counts["live_here"]).
    project = edition.project
    if connection.vendor == "postgresql" and not (
        # A receiver that changes these rows before they are saved needs save().
        _own_pre_save(Enrolment) or _own_pre_save(EnrolmentEvent)
    ):
        return _create_postgresql(
            trainee=trainee, edition=edition, quota=quota, actor=actor, at=at
        )
    if project.requires_approval:
        enrolments_expire(project=project, now=at)
    try:
        with locking_transaction():
            # Quota, then edition: the fixed order. Sizes are read under the lock.
            if quota is not None:
                quota.size = (
                    Quota.objects.select_for_update()
                    .filter(pk=quota.pk)
                    .values_list("size", flat=True)
                    .get()
                )
            edition.capacity = (
                Edition.objects.select_for_update()
                .filter(pk=edition.pk)
                .values_list("capacity", flat=True)
                .get()
            )
            counts = _count_for_new(trainee=trainee, edition=edition, quota=quota)
            if counts["live_here"]:
                return Enrolment.objects.get(
                    trainee=trainee, edition=edition, status__in=LIVE
                )
            fits = counts["seats"] < edition.capacity and (
                quota is None
                or counts["holds_quota"] > 0
                or counts["persons"] < quota.size
            )
            if fits:
                status, hold_until = _held_status(project)
            else:
                status, hold_until = Status.WAITLISTED, None
            enrolment = Enrolment.objects.create(
                trainee=trainee,
                edition=edition,
                quota=quota,
                voivodeship_id=trainee.institution.voivodeship_id,
                status=status,
                hold_until=hold_until,
            )
            enrolment_record_status(enrolment=enrolment, previous="", actor=actor)
            _announce_seats([edition.pk])
    except IntegrityError:
        # The database constraint caught a twin request that committed first.
        existing = Enrolment.objects.filter(
            trainee=trainee, edition=edition, status__in=LIVE
        ).first()
        if existing is None:
            raise
        return existing
    return enrolment


def _free(
    *,
    enrolment: Enrolment,
    status: Status,
    actor: Actor,
    reason: str,
    allowed_from: Collection[str],
) -> Enrolment:
    project = enrolment.edition.project
    with locking_transaction():
        editions = lock_project(project=project, edition_ids=[enrolment.edition_id])
        enrolment = lock_enrolment(enrolment_id=enrolment.pk)
        if enrolment.status not in allowed_from:
            raise EnrolmentError(
                _("This enrolment is already %(status)s.")
                % {"status": enrolment.get_status_display()},
                code="wrong_status",
            )
        enrolment_set_status(
            enrolment=enrolment, status=status, actor=actor, reason=reason
        )
        promoted = _promote(project=project, editions=editions)
        _announce_seats([enrolment.edition_id, *(e.edition_id for e in promoted)])
    return enrolment


def enrolment_withdraw(
    *,
    enrolment: Enrolment,
    actor: Actor,
    reason: str = "",
    by_coordinator: bool = False,
) -> Enrolment:
    """Withdraw a trainee; trainees may only do so before the edition starts."""
    if not by_coordinator and enrolment.edition.has_started():
        raise EnrolmentError(
            _("The training has already started: ask the coordinator to withdraw you."),
            code="started",
        )
    return _free(
        enrolment=enrolment,
        status=Status.WITHDRAWN,
        actor=actor,
        reason=reason,
        allowed_from=[Status.PENDING, Status.CONFIRMED, Status.WAITLISTED],
    )


def enrolment_reject(*, enrolment: Enrolment, actor: Actor, reason: str) -> Enrolment:
    """Reject a pending or waiting application, with the reason the trainee will read."""
    if not reason.strip():
        raise EnrolmentError(
            _("Give the reason for the rejection."), code="reason_required"
        )
    return _free(
        enrolment=enrolment,
        status=Status.REJECTED,
        actor=actor,
        reason=reason,
        allowed_from=[Status.PENDING, Status.WAITLISTED],
    )


def enrolment_approve(*, enrolment: Enrolment, actor: Actor) -> Enrolment:
    """Confirm a pending enrolment once its signed declaration is in."""
    with locking_transaction():
        # Only the row: approving takes no place, so no limit needs its lock.
        enrolment = lock_enrolment(enrolment_id=enrolment.pk)
        if enrolment.status != Status.PENDING:
            raise EnrolmentError(
                _("Only a pending enrolment can be approved; this one is %(status)s.")
                % {"status": enrolment.get_status_display()},
                code="wrong_status",
            )
        if not enrolment.has_declaration:
            raise EnrolmentError(
                _("The signed declaration has not been received yet."),
                code="no_declaration",
            )
        enrolment_set_status(enrolment=enrolment, status=Status.CONFIRMED, actor=actor)
    return enrolment


def enrolments_expire(
    *, project: Project | None = None, now: datetime | None = None
) -> int:
    """Expire pending places held past their time and give them to the waiting list."""
    now = now or timezone.now()
    stale = Enrolment.objects.filter(status=Status.PENDING, hold_until__lt=now)
    if project is not None:
        stale = stale.filter(edition__project=project)
    expired = 0
    for project_id in sorted(set(stale.values_list("edition__project_id", flat=True))):
        project_obj = Project.objects.get(pk=project_id)
        with locking_transaction():
            rows = stale.filter(edition__project_id=project_id)
            editions = lock_project(
                project=project_obj,
                edition_ids=rows.values_list("edition_id", flat=True),
            )
            # Last in the fixed order, the rows themselves: an approval or a withdrawal
            # that committed meanwhile no longer matches and is left as it is.
            locked = rows.select_for_update(of=("self",)).order_by("pk")
            for enrolment in locked:
                enrolment_set_status(
                    enrolment=enrolment,
                    status=Status.EXPIRED,
                    reason=_("The signed declaration did not arrive in time."),
                )
                expired += 1
            promoted = _promote(project=project_obj, editions=editions)
            _announce_seats([*editions.keys(), *(e.edition_id for e in promoted)])
    return expired


def enrolments_promote(*, project: Project) -> list[Enrolment]:
    """Give every free place of the project to the first waiting trainees who fit."""
    with locking_transaction():
        editions = lock_project(project=project, edition_ids=[])
        promoted = _promote(project=project, editions=editions)
        if promoted:
            _announce_seats(e.edition_id for e in promoted)
    return promoted


def edition_set_capacity(
    *, edition: Edition, capacity: int, actor: Actor = None
) -> Edition:
    """Change the seats of an edition; more seats promote the waiting list at once."""
    with locking_transaction():
        editions = lock_project(project=edition.project, edition_ids=[edition.pk])
        edition = editions[edition.pk]
        taken = Enrolment.objects.filter(edition=edition, status__in=HOLDING).count()
        if capacity < taken:
            raise EnrolmentError(
                _("%(taken)s places are already taken: the capacity cannot be lower.")
                % {"taken": taken},
                code="capacity_below_taken",
            )
        edition.capacity = capacity
        edition.save(update_fields=["capacity"])
        promoted = _promote(project=edition.project, editions=editions)
        _announce_seats([edition.pk, *(e.edition_id for e in promoted)])
    return edition


def quota_set_size(*, quota: Quota, size: int, actor: Actor = None) -> Quota:
    """Change the places (persons) of a quota; more places promote the waiting list."""
    if size < 0:
        raise EnrolmentError(
            _("The number of places cannot be negative."), code="size_negative"
        )
    with locking_transaction():
        # Every quota of the project, as anything that frees a place locks them.
        editions = lock_project(project=quota.project, edition_ids=[])
        quota = Quota.objects.select_related("project").get(pk=quota.pk)
        used = (
            Enrolment.objects.filter(quota=quota, status__in=HOLDING)
            .values("trainee_id")
            .distinct()
            .count()
        )
        if size < used:
            raise EnrolmentError(
                ngettext(
                    "%(used)s person already holds a place in this quota: "
                    "the number of places cannot be lower.",
                    "%(used)s persons already hold places in this quota: "
                    "the number of places cannot be lower.",
                    used,
                )
                % {"used": used},
                code="size_below_used",
            )
        quota.size = size
        quota.save(update_fields=["size"])
        promoted = _promote(project=quota.project, editions=editions)
        if promoted:
            _announce_seats([e.edition_id for e in promoted])
    return quota


def enrolment_move(
    *, enrolment: Enrolment, to_edition: Edition, actor: Actor, reason: str = ""
) -> Enrolment:
    """Move a trainee to another edition of the same course, within every limit.

    The old enrolment ends as withdrawn and a new one takes a place in the target
    edition; both keep their history. The freed place goes to the waiting list.
    """
    source = enrolment.edition
    if to_edition.pk == source.pk:
        raise EnrolmentError(
            _("The trainee is already in this edition."), code="same_edition"
        )
    if to_edition.project_id != source.project_id:
        raise EnrolmentError(
            _("A trainee can only be moved between editions of the same project."),
            code="other_project",
        )
    project = source.project
    with locking_transaction():
        editions = lock_project(project=project, edition_ids=[source.pk, to_edition.pk])
        # Re-read under its lock: an approval or a declaration committed meanwhile
        # moves with it, and a withdrawal or rejection stops the move.
        enrolment = lock_enrolment(enrolment_id=enrolment.pk)
        if enrolment.status not in (Status.PENDING, Status.CONFIRMED):
            raise EnrolmentError(
                _("Only a pending or confirmed enrolment can be moved."),
                code="wrong_status",
            )
        if Enrolment.objects.filter(
            trainee_id=enrolment.trainee_id, edition=to_edition, status__in=LIVE
        ).exists():
            raise EnrolmentError(
                _("The trainee is already enrolled in the target edition."),
                code="already",
            )
        target = editions[to_edition.pk]
        quota = (
            project.quotas.filter(pk=enrolment.quota_id).first()
            if enrolment.quota_id is not None
            else None
        )
        tally = _Tally(edition_ids=[target.pk], quota_ids=[quota.pk] if quota else [])
        # The trainee already holds their quota place, so only the seat matters.
        if not tally.fits(edition=target, quota=quota, trainee_id=enrolment.trainee_id):
            raise EnrolmentError(_("The target edition has no free seat."), code="full")
        note = reason or _("Moved to %(code)s.") % {"code": target.code}
        moved = Enrolment.objects.create(
            trainee_id=enrolment.trainee_id,
            edition=target,
            quota=quota,
            voivodeship_id=enrolment.voivodeship_id,
            status=enrolment.status,
            hold_until=enrolment.hold_until,
            declaration=enrolment.declaration,
            declaration_received_at=enrolment.declaration_received_at,
            declaration_on_paper=enrolment.declaration_on_paper,
        )
        enrolment_set_status(
            enrolment=enrolment, status=Status.WITHDRAWN, actor=actor, reason=note
        )
        enrolment_record_status(
            enrolment=moved,
            previous="",
            actor=actor,
            reason=_("Moved from %(code)s.") % {"code": source.code},
        )
        promoted = _promote(project=project, editions=editions)
        _announce_seats([source.pk, target.pk, *(e.edition_id for e in promoted)])
    return moved
