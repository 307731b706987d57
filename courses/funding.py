"""A project's funding as its documents print it: the statement and the marks.

Each mark is the project's own image, else the site's (FundingSettings), else the
standard file shipped in courses/static/courses/marks/. Which marks a document carries
depends on the funding kind: European funds need the programme's, the national, the
beneficiary's and the EU's; the state budget the national and the beneficiary's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Site

from .models import FundingKind, FundingSettings, Project

# Field on Project and FundingSettings -> standard file, description for the alt text.
MARKS = {
    "programme_mark": (
        "programme.svg",
        gettext_lazy("European Funds – Knowledge Education Development"),
    ),
    "national_mark": ("poland.svg", gettext_lazy("Republic of Poland")),
    "region_mark": ("region.svg", gettext_lazy("Regional Centre for Social Policy")),
    "eu_mark": ("eu.svg", gettext_lazy("European Union – European Social Fund")),
}
MARKS_OF_KIND = {
    FundingKind.EU_FUNDS: ("programme_mark", "national_mark", "region_mark", "eu_mark"),
    FundingKind.STATE_BUDGET: ("national_mark", "region_mark"),
}
# Renditions fetched from disk by the PDF renderer: 128 px is sharp at the 12 mm the
# documents print them.
DOCUMENT_RENDITION = "height-128"


@dataclass(frozen=True)
class FundingMark:
    field: str
    src: str  # a rendition's or the standard file's URL
    alt: str  # the uploaded image's title, or what the standard mark shows


@dataclass(frozen=True)
class Funding:
    kind: str
    statement: str
    marks: list[FundingMark]


def funding_settings(*, site: Site | None = None) -> FundingSettings:
    """The site's funding statement and marks; the defaults when no site is set up."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return FundingSettings()
    return FundingSettings.for_site(site)


def _amount(value) -> str:
    return number_format(value, decimal_pos=2, force_grouping=True)


def funding_statement(
    *,
    project: Project,
    site: Site | None = None,
    site_settings: FundingSettings | None = None,
) -> str:
    """What the project's documents say about who co-finances it."""
    if project.funding_statement:
        return project.funding_statement
    if project.funding_kind == FundingKind.STATE_BUDGET:
        parts = [_("Co-financed from the state budget.")]
        if project.programme:
            parts.append(f"{project.programme}.")
        parts.append(
            _("Amount of co-financing: %(amount)s zł.")
            % {"amount": _amount(project.cofinancing)}
        )
        parts.append(
            _("Total value: %(value)s zł.") % {"value": _amount(project.value)}
        )
        return " ".join(parts)
    return (site_settings or funding_settings(site=site)).funding_statement


def funding_statement_shown(
    *, project: Project, site: Site | None = None
) -> tuple[str, str]:
    """The statement a web page shows in the active language, and the language it is
    written in when that is another ("" when it is the interface's).

    The project's own statement and the site's Polish one are the editors' Polish; in
    English the site's English statement replaces the latter, and the state-budget
    sentence leaves out the programme's Polish name (the page names it apart).
    """
    content = settings.LANGUAGE_CODE
    other = (get_language() or content).split("-")[0] != content
    if project.funding_statement:
        return project.funding_statement, content if other else ""
    if project.funding_kind == FundingKind.STATE_BUDGET:
        if not other:
            return funding_statement(project=project, site=site), ""
        parts = [
            _("Co-financed from the state budget."),
            _("Amount of co-financing: %(amount)s zł.")
            % {"amount": _amount(project.cofinancing)},
            _("Total value: %(value)s zł.") % {"value": _amount(project.value)},
        ]
        return " ".join(str(part) for part in parts), ""
    marks = funding_settings(site=site)
    if other and marks.funding_statement_en:
        return marks.funding_statement_en, ""
    return marks.funding_statement, content if other else ""


def project_funding(*, project: Project, site: Site | None = None) -> Funding:
    """The statement and the marks the project's printed documents carry.

    In the active language: documents call it with Polish activated.
    """
    fallback = funding_settings(site=site)
    marks = []
    for field in MARKS_OF_KIND[FundingKind(project.funding_kind)]:
        file_name, description = MARKS[field]
        image = getattr(project, field) or getattr(fallback, field)
        if image is None:
            src = static(f"courses/marks/{file_name}")
            mark = FundingMark(field, src, str(description))
        else:
            src = image.get_rendition(DOCUMENT_RENDITION).url
            mark = FundingMark(field, src, image.title)
        marks.append(mark)
    return Funding(
        kind=project.funding_kind,
        statement=funding_statement(project=project, site_settings=fallback),
        marks=marks,
    )
