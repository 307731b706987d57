"""The rules of enrolment, recounted from the rows after a test (see tests/conftest.py).

What must hold in every state the services leave behind:

1. No limit exceeded: the places held in an edition (pending, confirmed, completed,
   not completed) are at most its seats; the distinct persons holding places in a
   quota are at most its size.
2. At most one live enrolment (holding or waiting) per trainee and edition.
3. Nobody waits for a place that is free: no waiting enrolment fits every limit
   that applies to it (a seat in its edition; a place in its quota, unless its
   trainee holds one already).
4. First come, first served: nobody waiting was passed over by a later applicant
   within the same limits. A later applicant L holding a place in the edition of a
   waiting W passed W over when L had to meet every limit W must meet: W has no
   quota (it needs only the seat L took), or L counts against W's quota and is its
   trainee's only enrolment in that quota (so L took a new quota place as well as
   the seat). Order is arrival: (created_at, id).
5. The history agrees with the status: the events of an enrolment chain from "" to
   its present status, each starting where the one before ended.
"""

from collections import defaultdict

from courses.models import (
    HOLDING,
    LIVE,
    Edition,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Quota,
)


def enrolment_invariant_violations() -> list[str]:
    """Every broken rule, in words; empty when all hold."""
    rows = list(
        Enrolment.objects.order_by("created_at", "pk").values(
            "pk", "trainee_id", "edition_id", "quota_id", "status", "created_at"
        )
    )
    capacity = dict(Edition.objects.values_list("pk", "capacity"))
    size = dict(Quota.objects.values_list("pk", "size"))
    problems: list[str] = []

    seats: dict[int, int] = defaultdict(int)
    holders: dict[int, set[int]] = defaultdict(set)
    live: dict[tuple[int, int], int] = defaultdict(int)
    in_quota: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        if row["quota_id"] is not None:
            in_quota[(row["trainee_id"], row["quota_id"])] += 1
        if row["status"] in LIVE:
            live[(row["trainee_id"], row["edition_id"])] += 1
        if row["status"] in HOLDING:
            seats[row["edition_id"]] += 1
            if row["quota_id"] is not None:
                holders[row["quota_id"]].add(row["trainee_id"])

    for edition_id, taken in seats.items():
        if taken > capacity[edition_id]:
            problems.append(
                f"edition {edition_id}: {taken} places held, {capacity[edition_id]} seats"
            )
    for quota_id, persons in holders.items():
        if len(persons) > size[quota_id]:
            problems.append(
                f"quota {quota_id}: {len(persons)} persons hold places, "
                f"size {size[quota_id]}"
            )
    for (trainee_id, edition_id), count in live.items():
        if count > 1:
            problems.append(
                f"trainee {trainee_id}: {count} live enrolments in edition {edition_id}"
            )

    holding_by_edition: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["status"] in HOLDING:
            holding_by_edition[row["edition_id"]].append(row)
    for row in rows:
        if row["status"] != EnrolmentStatus.WAITLISTED:
            continue
        quota_id = row["quota_id"]
        seat_free = seats[row["edition_id"]] < capacity[row["edition_id"]]
        quota_free = (
            quota_id is None
            or row["trainee_id"] in holders[quota_id]
            or len(holders[quota_id]) < size[quota_id]
        )
        if seat_free and quota_free:
            problems.append(
                f"enrolment {row['pk']} waits though a place it fits is free"
            )
        arrival = (row["created_at"], row["pk"])
        for later in holding_by_edition[row["edition_id"]]:
            if (later["created_at"], later["pk"]) <= arrival:
                continue
            same_limits = quota_id is None or (
                later["quota_id"] == quota_id
                and in_quota[(later["trainee_id"], quota_id)] == 1
            )
            if same_limits:
                problems.append(
                    f"enrolment {row['pk']} waits behind the later {later['pk']} "
                    "which took a place within the same limits"
                )

    problems += _history_problems({row["pk"]: row["status"] for row in rows})
    return problems


def _history_problems(statuses: dict[int, str]) -> list[str]:
    chains: dict[int, list[tuple[str, str]]] = defaultdict(list)
    events = EnrolmentEvent.objects.order_by("created_at", "pk").values_list(
        "enrolment_id", "from_status", "to_status"
    )
    for enrolment_id, from_status, to_status in events:
        chains[enrolment_id].append((from_status, to_status))
    problems = []
    for enrolment_id, status in statuses.items():
        current = ""
        for from_status, to_status in chains[enrolment_id]:
            if from_status != current:
                problems.append(
                    f"enrolment {enrolment_id}: history goes {current or '–'} then "
                    f"{from_status} → {to_status}"
                )
            current = to_status
        if current != status:
            problems.append(
                f"enrolment {enrolment_id} is {status}; its history ends at "
                f"{current or 'nothing'}"
            )
    return problems
