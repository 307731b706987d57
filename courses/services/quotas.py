"""A quota's name, project and voivodeships; its size changes through quota_set_size.

A voivodeship belongs to at most one quota of a project: otherwise the first quota by
id would silently count its staff and the other never would. The service refuses it
with a message, checked under the locks of the project's quotas; the database refuses
it too (QuotaVoivodeship's unique project and voivodeship), whoever writes.
"""

from collections.abc import Iterable

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import ngettext

from ..errors import EnrolmentError
from ..models import Project, Quota, QuotaVoivodeship, Voivodeship
from .actors import Actor
from .locking import lock_quotas, locking_transaction


def quota_voivodeships_problems(
    *,
    project: Project,
    voivodeships: Iterable[Voivodeship],
    quota: Quota | None = None,
) -> list[str]:
    """Why these voivodeships cannot be the quota's; empty when they can."""
    taken = QuotaVoivodeship.objects.filter(
        project=project, voivodeship__in=[v.pk for v in voivodeships]
    )
    if quota is not None and quota.pk is not None:
        taken = taken.exclude(quota_id=quota.pk)
    taken = taken.select_related("quota", "voivodeship").order_by("voivodeship__name")
    by_quota: dict[Quota, list[str]] = {}
    for row in taken:
        by_quota.setdefault(row.quota, []).append(row.voivodeship.name)
    return [
        ngettext(
            "The voivodeship %(names)s already belongs to the quota “%(quota)s” of "
            "this project: a voivodeship can be in only one quota of a project.",
            "The voivodeships %(names)s already belong to the quota “%(quota)s” of "
            "this project: a voivodeship can be in only one quota of a project.",
            len(names),
        )
        % {"names": ", ".join(names), "quota": other.name}
        for other, names in by_quota.items()
    ]


def _refuse(problems: list[str]) -> EnrolmentError:
    return EnrolmentError(" ".join(problems), code="voivodeship_in_other_quota")


def quota_save(
    *, quota: Quota, voivodeships: Iterable[Voivodeship], actor: Actor = None
) -> Quota:
    """Create a quota, or save its name and project, with exactly these voivodeships.

    The size of an existing quota is not saved here: quota_set_size checks it against
    the persons holding places and gives new places to the waiting list.
    """
    voivodeships = list(voivodeships)
    is_new = quota.pk is None
    try:
        with locking_transaction():
            # The project's quotas, by id: what any other change of them locks too.
            lock_quotas(
                quota_ids=Quota.objects.filter(
                    Q(project_id=quota.project_id) | Q(pk=quota.pk)
                ).values_list("pk", flat=True)
            )
            problems = quota_voivodeships_problems(
                project=quota.project, voivodeships=voivodeships, quota=quota
            )
            if problems:
                raise _refuse(problems)
            if is_new:
                quota.full_clean()
                quota.save()
            else:
                quota.full_clean(exclude=["size"])
                quota.save(update_fields=["project", "name"])
            _set_voivodeships(quota=quota, voivodeships=voivodeships)
    except IntegrityError as error:
        # Another writer got there between our check and our write.
        if is_new:  # its row was rolled back
            quota.pk = None
            quota._state.adding = True
        problems = quota_voivodeships_problems(
            project=quota.project, voivodeships=voivodeships, quota=quota
        )
        if not problems:
            raise
        raise _refuse(problems) from error
    return quota


def _set_voivodeships(*, quota: Quota, voivodeships: list[Voivodeship]) -> None:
    rows = QuotaVoivodeship.objects.filter(quota=quota)
    rows.exclude(voivodeship__in=voivodeships).delete()
    # The quota may have moved to another project: its rows move with it.
    rows.exclude(project_id=quota.project_id).update(project_id=quota.project_id)
    present = set(rows.values_list("voivodeship_id", flat=True))
    QuotaVoivodeship.objects.bulk_create(
        QuotaVoivodeship(quota=quota, voivodeship=voivodeship, project=quota.project)
        for voivodeship in voivodeships
        if voivodeship.pk not in present
    )
