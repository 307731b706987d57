"""The extension points courses offers: Wagtail hooks, and what their functions return.

courses names neither the site (cms) nor certificates. What they own and courses shows
(a course's public page and programme, certificate links and counts) comes in through
these hooks, which they register in their own wagtail_hooks.py. With none registered,
courses works on its own: no links, no public page, no topics, no extra series.

Every hook of courses, with its reader:

- courses_eligibility_rule(*, trainee, edition) -> str | None, a reason in Polish why
  the trainee may not enrol (services.eligibility.eligibility_problems).
- courses_completion_condition(*, enrolment) -> str | None, why the enrolment is not
  complete yet (services.attendance).
- courses_materials_reader(*, user, course) -> bool, whether the user may read the
  course's restricted materials (selectors.user_may_see_course_materials).
- courses_course_url(*, course, request) -> str | None, the course's public page
  (selectors.course_public_url); the first answer wins.
- courses_course_topics(*, course) -> list[CourseTopic], the programme of the course
  (selectors.course_topics); the first non-empty answer wins.
- courses_enrolment_links(*, enrolments, user) -> dict[enrolment pk, list of
  EnrolmentLink], links shown with each enrolment on "Moje szkolenia"
  (selectors.enrolment_links). Called once per page with every enrolment: answer
  with one query, not one per row.
- courses_indicator_series() -> list[IndicatorSeries], monthly series added to the
  indicators dashboard and its XLSX (reporting.indicators).
- courses_personal_data(*, trainee) -> PersonalDataPart | None, what the app holds
  about a trainee, for the copy they download (services.portability).
- courses_coordinator_todo() -> list[TodoGroup], more to-do groups for the admin home
  (admin_ui.selectors.coordinator_todo), e.g. groups ready for certificates.
- courses_indicator_charts() -> list[IndicatorChart], charts of counts per category
  (with an optional target each) added to the dashboard and its XLSX
  (reporting.indicators).
- courses_edition_links(*, edition, user) -> list[EnrolmentLink], links shown on a
  trainer's group page (selectors.edition_links).
- courses_stored_files() -> iterable of storage_check.StoredFile, the private files
  the app's rows name, with their SHA-256 where kept (storage_check.storage_check).
- courses_storage_checks(*, on_disk, repair) -> list[storage_check.Finding], the
  app's own consistency checks of stored data, e.g. numbering counters; `on_disk`
  is every private file name, `repair` asks to fix what can be fixed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

COMPLETION_CONDITION_HOOK = "courses_completion_condition"
COURSE_URL_HOOK = "courses_course_url"
COURSE_TOPICS_HOOK = "courses_course_topics"
ENROLMENT_LINKS_HOOK = "courses_enrolment_links"
INDICATOR_SERIES_HOOK = "courses_indicator_series"
PERSONAL_DATA_HOOK = "courses_personal_data"
COORDINATOR_TODO_HOOK = "courses_coordinator_todo"
INDICATOR_CHARTS_HOOK = "courses_indicator_charts"
EDITION_LINKS_HOOK = "courses_edition_links"


@dataclass(frozen=True)
class CourseTopic:
    """One topic of a course's programme, with its teaching hours if given."""

    title: str
    hours: Decimal | None = None


@dataclass(frozen=True)
class EnrolmentLink:
    """A link with an enrolment on "Moje szkolenia", e.g. a certificate to download."""

    url: str
    label: str
    badge: str = ""  # the file type shown as an icon, e.g. "PDF"
    note: str = ""  # quiet text after the link, e.g. when it was issued
    note_url: str = ""  # a second, quieter link after the note
    note_label: str = ""


@dataclass(frozen=True)
class IndicatorSeries:
    """A count per month ("2026-11" -> 12) for the indicators dashboard."""

    key: str
    title: str
    months: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonalDataPart:
    """One app's part of a person's copy of their data: rows, and files by name."""

    key: str
    title: str
    rows: list[dict] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class TodoRow:
    """One thing to do, with where to do it."""

    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class TodoGroup:
    """A kind of thing to do on the coordinator's admin home: how many, the first few."""

    key: str
    title: str  # already counted in words, e.g. "7 zgłoszeń czeka na oświadczenie"
    count: int
    rows: list[TodoRow] = field(default_factory=list)
    all_url: str = ""


@dataclass(frozen=True)
class IndicatorBar:
    """One category of an indicator chart: its count and, if any, what it is out of."""

    label: str
    value: int
    target: int | None = None


@dataclass(frozen=True)
class IndicatorChart:
    """A chart of counts per category for the indicators dashboard."""

    key: str
    title: str
    bars: list[IndicatorBar] = field(default_factory=list)
