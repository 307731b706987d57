"""Who may enrol: the project's rules, edited by coordinators, plus plug-in rules."""

from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from wagtail import hooks

from ..models import Edition, InstitutionType, Position, Project, Quota, TraineeProfile

# A deployment adds its own rule with
#   @hooks.register(ELIGIBILITY_HOOK)
#   def my_rule(*, trainee, edition): return "reason in Polish" or None
ELIGIBILITY_HOOK = "courses_eligibility_rule"


def _names(items) -> str:
    return ", ".join(str(item) for item in items)


def _rule_problems(*, trainee: TraineeProfile, project: Project) -> list[str]:
    rules = list(project.eligibility_rules.prefetch_related("voivodeships"))
    if not rules:
        return []
    institution = trainee.institution
    region_ids = {v.pk for rule in rules for v in rule.voivodeships.all()}
    if region_ids and institution.voivodeship_id not in region_ids:
        regions = sorted({v.name for rule in rules for v in rule.voivodeships.all()})
        return [
            _(
                "The project is for staff of institutions in these voivodeships: %(allowed)s. "
                "Your institution is in %(yours)s."
            )
            % {"allowed": _names(regions), "yours": institution.voivodeship.name}
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
        rule_regions = {v.pk for v in rule.voivodeships.all()}
        if rule_regions and institution.voivodeship_id not in rule_regions:
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


def quota_for(*, trainee: TraineeProfile, project: Project) -> Quota | None:
    """The project's pool that counts this trainee, by their institution's voivodeship."""
    return (
        project.quotas.filter(voivodeships=trainee.institution.voivodeship_id)
        .order_by("id")
        .first()
    )


def eligibility_problems(
    *, trainee: TraineeProfile, edition: Edition, at=None
) -> list[str]:
    """Why this trainee may not enrol in this edition now; empty when they may."""
    if not edition.is_published:
        return [_("This edition is not open for enrolment.")]
    if at is not None and not edition.enrolment_is_open(at):
        if at < edition.enrolment_opens:
            return [
                format_lazy(
                    _("Enrolment opens on {}."),
                    date_format(edition.enrolment_opens, "DATETIME_FORMAT"),
                )
            ]
        return [_("Enrolment for this edition is closed.")]
    project = edition.project
    problems = _rule_problems(trainee=trainee, project=project)
    if (
        not problems
        and project.quotas.exists()
        and quota_for(trainee=trainee, project=project) is None
    ):
        problems.append(
            _("The project has no places for the voivodeship %(name)s.")
            % {"name": trainee.institution.voivodeship.name}
        )
    for rule in hooks.get_hooks(ELIGIBILITY_HOOK):
        problem = rule(trainee=trainee, edition=edition)
        if problem:
            problems.append(str(problem))
    return [str(problem) for problem in problems]
