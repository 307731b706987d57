"""Who may enrol: the project's rules, edited by coordinators, plus plug-in rules."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from wagtail import hooks

from ..cache_version import CacheVersion
from ..models import (
    Edition,
    EligibilityRule,
    InstitutionType,
    Position,
    Project,
    Quota,
    TraineeProfile,
)
from ..prepared import Prepared, statement_cursor

# A deployment adds its own rule with
#   @hooks.register(ELIGIBILITY_HOOK)
#   def my_rule(*, trainee, edition): return "reason in Polish" or None
ELIGIBILITY_HOOK = "courses_eligibility_rule"


def _names(items: Iterable[object]) -> str:
    return ", ".join(str(item) for item in items)


@dataclass
class _Rule:
    institution_types: list[str]
    positions: list[str]
    regions: dict[int, str]  # voivodeship id -> name
    courses: set[int]  # empty: the rule applies to every course of the project

    def applies_to(self, *, course_id: int) -> bool:
        return not self.courses or course_id in self.courses


# The reads of a project's rules and quotas, compiled once per process (they run for
# every project on every signed-in course page, and in imports).
_rule_rows = Prepared(
    lambda project_id: (
        EligibilityRule.objects.filter(project_id=project_id)
        .order_by("pk")
        .values_list(
            "pk",
            "institution_types",
            "positions",
            "voivodeships__pk",
            "voivodeships__name",
        )
    ),
    "project_id",
)


def _pairs_of_project(through, owner: str, other: str) -> Prepared:
    """(owner id, other id) rows of a many-to-many table, for one project's owners."""
    return Prepared(
        lambda project_id: through.objects.filter(
            **{f"{owner}__project_id": project_id}
        ).values_list(f"{owner}_id", f"{other}_id"),
        "project_id",
    )


_rule_courses = _pairs_of_project(
    EligibilityRule.courses.through, "eligibilityrule", "course"
)
_quota_regions = _pairs_of_project(Quota.voivodeships.through, "quota", "voivodeship")
_quotas_of = Prepared(
    lambda project_id: Quota.objects.filter(project_id=project_id).order_by("id"),
    "project_id",
)


def _rules(*, project_id: int) -> list[_Rule]:
    """The project's rules with their voivodeships and courses: two queries."""
    rules: dict[int, _Rule] = {}
    for pk, types, positions, region_id, region_name in _rule_rows(
        project_id=project_id
    ):
        rule = rules.setdefault(pk, _Rule(types, positions, {}, set()))
        if region_id is not None:
            rule.regions[region_id] = region_name
    for rule_id, course_id in _rule_courses(project_id=project_id):
        rules[rule_id].courses.add(course_id)
    return list(rules.values())


def _rules_of_course(*, rules: list[_Rule], course_id: int) -> list[_Rule]:
    return [rule for rule in rules if rule.applies_to(course_id=course_id)]


def _rule_problems(*, trainee: TraineeProfile, rules: list[_Rule]) -> list[str]:
    """Why the rules that apply to the course do not admit the trainee."""
    if not rules:
        return []
    institution = trainee.institution
    region_ids = {pk for rule in rules for pk in rule.regions}
    if region_ids and institution.voivodeship_id not in region_ids:
        regions = sorted({name for rule in rules for name in rule.regions.values()})
        return [
            _(
                "The project is for staff of institutions in these voivodeships: %(allowed)s. "
                "Your institution is in %(yours)s."
            )
            % {
                "allowed": _names(regions),
                "yours": institution.voivodeship.in_sentence("locative"),
            }
        ]
    types = {t for rule in rules for t in rule.institution_types}
    if types and institution.type not in types:
        return [
            _(
                "The project is for staff of: %(allowed)s. Your institution is: %(yours)s."
            )
            % {
                "allowed": _names(InstitutionType(t).label for t in sorted(types)),
                "yours": institution.get_type_display(),
            }
        ]
    for rule in rules:
        if rule.institution_types and institution.type not in rule.institution_types:
            continue
        if rule.positions and trainee.position not in rule.positions:
            continue
        if rule.regions and institution.voivodeship_id not in rule.regions:
            continue
        return []
    allowed = sorted(
        {
            p
            for rule in rules
            if not rule.institution_types or institution.type in rule.institution_types
            for p in rule.positions
        }
    )
    return [
        _(
            "In an institution of type %(type)s the project accepts: %(allowed)s. "
            "Your position is: %(yours)s."
        )
        % {
            "type": institution.get_type_display(),
            "allowed": _names(Position(p).label for p in allowed),
            "yours": trainee.get_position_display(),
        }
    ]


def _project_quota(
    *, trainee: TraineeProfile, project: Project
) -> tuple[bool, Quota | None]:
    """Whether the project has quotas at all, and the one counting this trainee."""
    counts_trainee = Quota.voivodeships.through.objects.filter(
        quota=OuterRef("pk"), voivodeship_id=trainee.institution.voivodeship_id
    )
    # One query answers both: the trainee's pools sort first, then by id.
    first = (
        project.quotas.annotate(counts_trainee=Exists(counts_trainee))
        .order_by("-counts_trainee", "id")
        .first()
    )
    if first is None:
        return False, None
    return True, first if first.counts_trainee else None


@lru_cache(maxsize=1)
def _rules_and_quota_sql() -> str:
    """PostgreSQL: the statement of `_rules_and_quota`, built once per process."""
    quote = connection.ops.quote_name
    rules = quote(EligibilityRule._meta.db_table)
    regions = quote(EligibilityRule.voivodeships.through._meta.db_table)
    voivodeships = quote(
        EligibilityRule.voivodeships.field.related_model._meta.db_table
    )
    courses = quote(EligibilityRule.courses.through._meta.db_table)
    quotas = quote(Quota._meta.db_table)
    counted = quote(Quota.voivodeships.through._meta.db_table)
    return f"""SELECT
    (SELECT json_agg(json_build_array(
        rule.id, rule.institution_types, rule.positions,
        (SELECT json_agg(json_build_array(region.id, region.name))
         FROM {regions} AS link
         JOIN {voivodeships} AS region ON region.id = link.voivodeship_id
         WHERE link.eligibilityrule_id = rule.id),
        (SELECT json_agg(course.course_id) FROM {courses} AS course
         WHERE course.eligibilityrule_id = rule.id)
    ) ORDER BY rule.id) FROM {rules} AS rule WHERE rule.project_id = %s),
    EXISTS (SELECT 1 FROM {quotas} WHERE project_id = %s),
    quota.id, quota.name, quota.size
FROM (SELECT 1) AS one LEFT JOIN LATERAL (
    SELECT id, name, size FROM {quotas} AS pool
    WHERE pool.project_id = %s AND EXISTS (
        SELECT 1 FROM {counted} AS counted
        WHERE counted.quota_id = pool.id AND counted.voivodeship_id = %s
    )
    ORDER BY pool.id LIMIT 1
) AS quota ON TRUE"""


def _rules_and_quota(
    *, trainee: TraineeProfile, project: Project
) -> tuple[list[_Rule], bool, Quota | None]:
    """PostgreSQL: `_rules` and `_project_quota` in one round trip.

    The same answers (the rules with their voivodeships and courses by id; whether
    the project has quotas and the first by id that counts the trainee), from one
    statement whose text is built once per process instead of three ORM queries
    compiled on every enrolment.
    """
    with statement_cursor() as cursor:
        cursor.execute(
            _rules_and_quota_sql(),
            [
                project.pk,
                project.pk,
                project.pk,
                trainee.institution.voivodeship_id,
            ],
        )
        rows, has_quotas, quota_id, quota_name, quota_size = cursor.fetchone()
    rules = [
        _Rule(
            types,
            positions,
            dict(regions or ()),
            set(courses or ()),
        )
        for _pk, types, positions, regions, courses in rows or ()
    ]
    quota = None
    if quota_id is not None:
        quota = Quota.from_db(
            connection.alias,
            ["id", "project_id", "name", "size"],
            [quota_id, project.pk, quota_name, quota_size],
        )
        quota.project = project
    return rules, has_quotas, quota


def quota_for(*, trainee: TraineeProfile, project: Project) -> Quota | None:
    """The project's pool that counts this trainee, by their institution's voivodeship."""
    return _project_quota(trainee=trainee, project=project)[1]


@dataclass
class _ProjectRules:
    """What the eligibility of anyone in one project depends on besides themselves."""

    rules: list[_Rule]
    has_quotas: bool
    # voivodeship id -> the first quota by id that counts it
    quota_by_region: dict[int, Quota]


def _project_rules(project_id: int) -> _ProjectRules:
    quotas = {quota.pk: quota for quota in _quotas_of(project_id=project_id)}
    by_region: dict[int, Quota] = {}
    # The first quota by id counts a voivodeship.
    for quota_id, region_id in sorted(_quota_regions(project_id=project_id)):
        by_region.setdefault(region_id, quotas[quota_id])
    return _ProjectRules(_rules(project_id=project_id), bool(quotas), by_region)


class EligibilityCache:
    """The rules and quotas of each project read once, for many trainees (imports).

    Answers exactly what `eligibility_with_quota` answers, without its two queries
    per trainee: the rules and the quotas with their voivodeships of each project
    are read on first use.
    """

    def __init__(self) -> None:
        self._projects: dict[int, _ProjectRules] = {}

    def _read(self, project_ids: set[int]) -> dict[int, _ProjectRules]:
        return {pk: _project_rules(pk) for pk in project_ids}

    def preload(self, project_ids: Iterable[int]) -> None:
        """Read the projects not read yet, together."""
        missing = set(project_ids) - self._projects.keys()
        if missing:
            self._projects.update(self._read(missing))

    def _of(self, project: Project) -> _ProjectRules:
        self.preload([project.pk])
        return self._projects[project.pk]

    def rules(self, *, project: Project) -> list[_Rule]:
        return self._of(project).rules

    def project_quota(
        self, *, trainee: TraineeProfile, project: Project
    ) -> tuple[bool, Quota | None]:
        found = self._of(project)
        return found.has_quotas, found.quota_by_region.get(
            trainee.institution.voivodeship_id
        )


# Every rule, quota, voivodeship or project saved or deleted, and every change of a
# rule's voivodeships or courses, sets a new version (receivers in courses/apps.py).
RULES_VERSION = CacheVersion("courses:eligibility:v")
RULES_TTL = 600  # seconds: the longest a project's rules are kept whatever happens


class SharedEligibilityCache(EligibilityCache):
    """For pages: each project's rules and quotas kept in the shared cache.

    Shown to everyone signed in on every course and edition page, they change when a
    coordinator edits them: kept under `RULES_VERSION`, all of a page's projects in
    one cache read. The enrolment itself never reads them from here: it decides from
    the rows, in its own transaction (`eligibility_with_quota` without a cache, the
    engine's statement), as imports do (`EligibilityCache`).
    """

    def _read(self, project_ids: set[int]) -> dict[int, _ProjectRules]:
        version = RULES_VERSION.current()
        if version is None:  # a cache that keeps nothing
            return super()._read(project_ids)
        keys = {pk: f"courses:eligibility:{version}:{pk}" for pk in project_ids}
        kept = django_cache.get_many(keys.values())
        found = {pk: kept[key] for pk, key in keys.items() if key in kept}
        read = super()._read(project_ids - found.keys())
        if read:
            django_cache.set_many(
                {keys[pk]: rules for pk, rules in read.items()}, RULES_TTL
            )
        return {**found, **read}


def eligibility_with_quota(
    *,
    trainee: TraineeProfile,
    edition: Edition,
    at: datetime | None = None,
    cache: EligibilityCache | None = None,
) -> tuple[list[str], Quota | None]:
    """Why this trainee may not enrol now (empty when they may), and their quota."""
    if not edition.is_published:
        return [_("This edition is not open for enrolment.")], None
    if at is not None and not edition.enrolment_is_open(at):
        if at < edition.enrolment_opens:
            opens = date_format(edition.enrolment_opens, "DATETIME_FORMAT")
            return [str(format_lazy(_("Enrolment opens on {}."), opens))], None
        return [_("Enrolment for this edition is closed.")], None
    project = edition.project
    if cache is None and connection.vendor == "postgresql":
        rules, has_quotas, quota = _rules_and_quota(trainee=trainee, project=project)
    elif cache is None:
        rules = _rules(project_id=project.pk)
        has_quotas, quota = _project_quota(trainee=trainee, project=project)
    else:
        rules = cache.rules(project=project)
        has_quotas, quota = cache.project_quota(trainee=trainee, project=project)
    problems = _rule_problems(
        trainee=trainee,
        rules=_rules_of_course(rules=rules, course_id=edition.course_id),
    )
    if not problems and has_quotas and quota is None:
        problems.append(
            _("The project has no places for the voivodeship %(name)s.")
            % {"name": trainee.institution.voivodeship.in_sentence("genitive")}
        )
    for rule in hooks.get_hooks(ELIGIBILITY_HOOK):
        problem = rule(trainee=trainee, edition=edition)
        if problem:
            problems.append(str(problem))
    return [str(problem) for problem in problems], quota


def eligibility_problems(
    *, trainee: TraineeProfile, edition: Edition, at: datetime | None = None
) -> list[str]:
    """Why this trainee may not enrol in this edition now; empty when they may."""
    return eligibility_with_quota(trainee=trainee, edition=edition, at=at)[0]
