"""Reads: seats, waiting lists, quota fill. Always counted from the enrolment rows."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail import hooks

from .extensions import (
    COURSE_TOPICS_HOOK,
    COURSE_URL_HOOK,
    EDITION_LINKS_HOOK,
    ENROLMENT_LINKS_HOOK,
    CourseTopic,
    EnrolmentLink,
)
from .models import (
    HOLDING,
    LIVE,
    AuthorisedInstitution,
    Course,
    Edition,
    Enrolment,
    EnrolmentStatus,
    PartnerOrganisation,
    Project,
    Quota,
    Session,
    TraineeProfile,
)
from .prepared import Prepared, statement_cursor
from .roles import COORDINATOR

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def edition_seats(*, edition: Edition) -> Seats:
    counts = Enrolment.objects.filter(edition=edition).aggregate(
        taken=Count("id", filter=Q(status__in=HOLDING)),
        waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return Seats(
        capacity=edition.capacity, taken=counts["taken"], waiting=counts["waiting"]
    )


def editions_with_seats(*, editions: QuerySet[Edition]) -> list[tuple[Edition, Seats]]:
    """Editions annotated with their seats in one query."""
    rows = editions.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDING)),
        waiting=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
        ),
    )
    return [
        (e, Seats(capacity=e.capacity, taken=e.taken, waiting=e.waiting)) for e in rows
    ]


def waitlist_position(*, enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when the enrolment is not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = Enrolment.objects.filter(
        edition_id=enrolment.edition_id, status=EnrolmentStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=enrolment.created_at)
        | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class QuotaFill:
    quota: Quota
    used: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.quota.size - self.used, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.quota.size) if self.quota.size else 0


def quota_fill(*, project: Project) -> list[QuotaFill]:
    """Used places (distinct persons) and waiting persons per quota of a project."""
    quotas = project.quotas.annotate(
        used=Count(
            "enrolments__trainee",
            filter=Q(enrolments__status__in=HOLDING),
            distinct=True,
        ),
        waiting=Count(
            "enrolments__trainee",
            filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
            distinct=True,
        ),
    ).prefetch_related("voivodeships")
    return [QuotaFill(quota=q, used=q.used, waiting=q.waiting) for q in quotas]


@dataclass(frozen=True)
class Eligibility:
    """Whether the person looking may enrol, shown before they click.

    state: "qualifies", "not_eligible" (with the reasons), "no_profile" (logged in,
    no trainee profile yet) or "anonymous".
    """

    state: str
    reasons: tuple[str, ...] = ()


# Read on every signed-in course page: compiled once per process (courses.prepared).
_profile_with_region = Prepared(
    lambda user_id: TraineeProfile.objects.select_related(
        "institution__voivodeship"
    ).filter(user_id=user_id)[:1],
    "user_id",
)
_live_enrolments_in_course = Prepared(
    lambda user_id, course_id: Enrolment.objects.filter(
        trainee__user_id=user_id, edition__course_id=course_id, status__in=LIVE
    ),
    "user_id",
    "course_id",
)


def editions_eligibility(
    *,
    editions: list[Edition],
    user: "User | AnonymousUser",
    trainee: TraineeProfile | None = None,
) -> None:
    """Set `.eligibility` on each edition for this user, by the project's rules.

    Enrolment dates are left out: the page shows them on their own. The rules and
    quotas of the editions' projects are read together from the shared cache, kept
    there until a rule or quota changes (SharedEligibilityCache): one cache read for
    one edition as for twenty. `trainee`: the user's profile with its institution,
    when the caller has read it already.
    """
    from .services.eligibility import SharedEligibilityCache, eligibility_with_quota

    if user.is_authenticated and trainee is None:
        found = _profile_with_region(user_id=user.pk)
        trainee = found[0] if found else None
    cache = SharedEligibilityCache()
    if trainee is not None:
        cache.preload({edition.project_id for edition in editions})
    for edition in editions:
        if not user.is_authenticated:
            eligibility = Eligibility("anonymous")
        elif trainee is None:
            eligibility = Eligibility("no_profile")
        else:
            reasons = tuple(
                eligibility_with_quota(trainee=trainee, edition=edition, cache=cache)[0]
            )
            eligibility = Eligibility(
                "not_eligible" if reasons else "qualifies", reasons
            )
        setattr(edition, "eligibility", eligibility)  # noqa: B010


def course_editions(
    *, course: Course, user: "User | AnonymousUser"
) -> list[tuple[Edition, Seats]]:
    """Upcoming published editions of a course with seats, and the user's own enrolment.

    Each edition carries `.mine` (the user's live enrolment or None) and `.open_now`
    for the template.
    """
    now = timezone.now()
    editions = (
        Edition.objects.filter(
            course=course, is_published=True, end_date__gte=timezone.localdate()
        )
        .select_related("project")
        .order_by("start_date", "code")
    )
    from .seat_cache import cached_editions_with_seats

    rows = cached_editions_with_seats(editions=editions)
    mine = {}
    if user.is_authenticated:
        shown = {edition.pk for edition, _ in rows}
        mine = {
            enrolment.edition_id: enrolment
            for enrolment in _live_enrolments_in_course(
                user_id=user.pk, course_id=course.pk
            )
            if enrolment.edition_id in shown
        }
    for edition, _ in rows:
        # Annotations for the template, as a queryset's .annotate() would add them.
        setattr(edition, "mine", mine.get(edition.pk))  # noqa: B010
        setattr(edition, "open_now", edition.enrolment_is_open(now))  # noqa: B010
    editions_eligibility(editions=[e for e, _ in rows], user=user)
    return rows


# Attendance ---------------------------------------------------------------------------

# Trainers hold the first (and see only the editions they teach); coordinators the second.
ATTENDANCE_VIEW_PERMISSION = "courses.view_attendance"
ATTENDANCE_MANAGE_PERMISSION = "courses.manage_attendance"
# Trainees on an attendance list: confirmed, and those whose completion is decided.
ON_ATTENDANCE_LIST = [
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
]


def keeps_attendance(*, user: "User | AnonymousUser") -> bool:
    """Whether the user may open "Moje grupy" at all."""
    return user.has_perm(ATTENDANCE_VIEW_PERMISSION) or user.has_perm(
        ATTENDANCE_MANAGE_PERMISSION
    )


def editions_managed_by(*, user: "User | AnonymousUser") -> QuerySet[Edition]:
    """Editions whose attendance the user keeps: all for a coordinator, else their own."""
    editions = Edition.objects.select_related("course", "project").order_by(
        "-start_date", "code"
    )
    if user.has_perm(ATTENDANCE_MANAGE_PERMISSION):
        return editions
    if isinstance(user, AnonymousUser) or not user.has_perm(ATTENDANCE_VIEW_PERMISSION):
        return editions.none()
    return editions.filter(trainers__user=user).distinct()


# Polish alphabetical order (Ć after C, Ł after L, Ż last), the same on every database.
_POLISH_ORDER = str.maketrans(
    {"ą": "a~", "ć": "c~", "ę": "e~", "ł": "l~", "ń": "n~", "ó": "o~", "ś": "s~",
     "ź": "z~", "ż": "z~~"}
)  # fmt: skip


def _polish_key(text: str) -> str:
    return text.lower().translate(_POLISH_ORDER)


def edition_trainees(*, edition_id: int) -> list[Enrolment]:
    """The edition's trainees on the attendance list, by last and first name."""
    enrolments = Enrolment.objects.filter(
        edition_id=edition_id, status__in=ON_ATTENDANCE_LIST
    ).select_related("trainee__institution", "trainee__user")
    return sorted(
        enrolments,
        key=lambda e: (
            _polish_key(e.trainee.last_name),
            _polish_key(e.trainee.first_name),
            e.pk,
        ),
    )


def attendance_roster(*, session: Session) -> list[Enrolment]:
    """The session's trainees by name, each with .present: True, False or None."""
    marks = dict(session.attendances.values_list("enrolment_id", "present").order_by())
    rows = edition_trainees(edition_id=session.edition_id)
    for enrolment in rows:
        setattr(enrolment, "present", marks.get(enrolment.pk))  # noqa: B010
    return rows


def edition_sessions_marked(*, edition: Edition) -> QuerySet[Session]:
    """The edition's sessions, each annotated with how many were marked and present."""
    return edition.sessions.annotate(
        marked=Count("attendances", distinct=True),
        present=Count("attendances", filter=Q(attendances__present=True)),
    ).select_related("sheet")


# Course materials ---------------------------------------------------------------------

# Enrolments that entitle a trainee to the restricted materials of the course.
ENTITLED_TO_MATERIALS = [EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED]
# A site adds further readers (e.g. trainers named on its course pages) with
#   @hooks.register(MATERIALS_READER_HOOK)
#   def reader(*, user, course) -> bool: ...
MATERIALS_READER_HOOK = "courses_materials_reader"


def _materials_rules_query(*, user_id: int, course_id: int) -> QuerySet:
    user = OuterRef("pk")
    return (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(
            coordinator=Exists(
                get_user_model().groups.through.objects.filter(
                    user_id=user, group__name=COORDINATOR
                )
            ),
            trainer=Exists(
                Edition.objects.filter(course_id=course_id, trainers__user=user)
            ),
            enrolled=Exists(
                Enrolment.objects.filter(
                    trainee__user=user,
                    edition__course_id=course_id,
                    status__in=ENTITLED_TO_MATERIALS,
                )
            ),
            partner=Exists(
                PartnerOrganisation.objects.filter(
                    staff=user, projects__editions__course_id=course_id
                )
            ),
            authorised=Exists(
                AuthorisedInstitution.objects.filter(
                    institution__trainees__user=user,
                    project__editions__course_id=course_id,
                )
            ),
        )
        .values_list("coordinator", "trainer", "enrolled", "partner", "authorised")[:1]
    )


# Compiled once per process, prepared once per PostgreSQL connection: its five
# subqueries took 18 ms of 107 ms of a signed-in course page under cProfile (their
# building, and PostgreSQL's 4.6 ms of planning each time).
_materials_rules = Prepared(_materials_rules_query, "user_id", "course_id")


def user_may_see_course_materials(
    *, user: "User | AnonymousUser", course: Course | None
) -> bool:
    """Whether the user may read the course's restricted materials.

    Coordinators, the trainers of the course's editions, trainees with a confirmed or
    completed enrolment in it, staff of partner organisations authorised for it, staff
    of an institution authorised in a project that runs it, and whoever a plug-in
    reader admits.
    """
    if course is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Every rule of ours in one query (each an EXISTS), the domains checked after.
    rows = _materials_rules(user_id=user.pk, course_id=course.pk)
    answers = rows[0] if rows else None
    if answers is None:
        return False
    coordinator, trainer, enrolled, partner, authorised = answers
    if coordinator or trainer or enrolled or partner:
        return True
    if authorised and works_at_authorised_institution(user=user, course=course):
        return True
    return any(
        reader(user=user, course=course)
        for reader in hooks.get_hooks(MATERIALS_READER_HOOK)
    )


def works_at_authorised_institution(*, user: "User", course: Course) -> bool:
    """Whether the user's institution is authorised in a project running the course.

    Where the authorisation names e-mail domains, the user's address must be
    verified and in one of them.
    """
    trainee = TraineeProfile.objects.filter(user=user).only("institution_id").first()
    if trainee is None:
        return False
    authorisations = AuthorisedInstitution.objects.filter(
        institution_id=trainee.institution_id,
        project__editions__course=course,
    ).distinct()
    email = (user.email or "").lower()
    for authorisation in authorisations:
        domains = authorisation.domains
        if not domains:
            return True
        if email.rpartition("@")[2] in domains and _verified(user=user, email=email):
            return True
    return False


def _verified(*, user: "User", email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True
    ).exists()


def enrolments_with_waitlist_position(
    *, enrolments: QuerySet[Enrolment]
) -> "QuerySet[Any]":
    """Annotate `waitlist_position` (1 = first in line, None when not waiting).

    The same order as courses.selectors.waitlist_position, as a subquery per row
    instead of a query per row.
    """
    ahead = (
        Enrolment.objects.filter(
            edition_id=OuterRef("edition_id"), status=EnrolmentStatus.WAITLISTED
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrolments.annotate(
        waitlist_position=Case(
            When(
                status=EnrolmentStatus.WAITLISTED,
                then=Coalesce(Subquery(ahead), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


# What the site and plug-in apps add (courses.extensions) -----------------------------


def course_public_url(*, course: Course, request=None) -> str | None:
    """The address of the course's public page, if the site offers one."""
    for provider in hooks.get_hooks(COURSE_URL_HOOK):
        url = provider(course=course, request=request)
        if url:
            return url
    return None


def course_topics(*, course: Course) -> list[CourseTopic]:
    """The course's programme as the site describes it; empty when it does not."""
    for provider in hooks.get_hooks(COURSE_TOPICS_HOOK):
        topics = provider(course=course)
        if topics:
            return list(topics)
    return []


def enrolment_links(
    *, enrolments: list[Enrolment], user
) -> dict[int, list[EnrolmentLink]]:
    """The links plug-ins add to each enrolment, by enrolment pk."""
    links: dict[int, list[EnrolmentLink]] = {}
    if not enrolments:
        return links
    for provider in hooks.get_hooks(ENROLMENT_LINKS_HOOK):
        for pk, items in provider(enrolments=enrolments, user=user).items():
            links.setdefault(pk, []).extend(items)
    return links


def edition_links(*, edition: Edition, user) -> list[EnrolmentLink]:
    """The links plug-ins add to a trainer's group page."""
    links: list[EnrolmentLink] = []
    for provider in hooks.get_hooks(EDITION_LINKS_HOOK):
        links.extend(provider(edition=edition, user=user))
    return links


# Who the person is, for the menu and "Moje konto" --------------------------------------


@dataclass(frozen=True)
class Seat:
    """What a signed-in person does on the platform, for the menu and their next step."""

    has_trainee_profile: bool
    is_partner_staff: bool
    keeps_attendance: bool
    is_coordinator: bool
    has_enrolments: bool

    @property
    def works_here(self) -> bool:
        """Staff of a kind (partner, trainer, coordinator), not only a trainee."""
        return self.is_partner_staff or self.keeps_attendance or self.is_coordinator

    @property
    def shows_trainee_pages(self) -> bool:
        """ "Moje szkolenia" and the profile prompt: for trainees, not for staff."""
        return self.has_trainee_profile or not self.works_here


_SEAT_SQL: str | None = None


def _seat_sql() -> str:
    """The menu's question as one statement of four EXISTS, its text built once per
    process: it is asked on every signed-in page, and compiling the ORM's version
    (four subqueries, ORDER BY for first()) cost more than running it."""
    global _SEAT_SQL
    if _SEAT_SQL is None:
        quote = connection.ops.quote_name
        user_model = get_user_model()
        memberships = user_model.groups.through
        groups = memberships._meta.get_field("group").related_model
        staff = PartnerOrganisation.staff.through

        def table(model) -> str:
            return quote(model._meta.db_table)

        def column(model, name: str) -> str:
            return quote(model._meta.get_field(name).column)

        _SEAT_SQL = f"""SELECT
EXISTS (SELECT 1 FROM {table(TraineeProfile)}
    WHERE {column(TraineeProfile, "user")} = %(user)s),
EXISTS (SELECT 1 FROM {table(staff)} WHERE {column(staff, "user")} = %(user)s),
EXISTS (SELECT 1 FROM {table(memberships)} m
    JOIN {table(groups)} g ON g.{quote("id")} = m.{column(memberships, "group")}
    WHERE m.{column(memberships, "user")} = %(user)s AND g.{quote("name")} = %(group)s),
EXISTS (SELECT 1 FROM {table(Enrolment)} e
    JOIN {table(TraineeProfile)} t ON t.{quote("id")} = e.{column(Enrolment, "trainee")}
    WHERE t.{column(TraineeProfile, "user")} = %(user)s)"""
    return _SEAT_SQL


def seat_of(*, user: "User | AnonymousUser") -> Seat | None:
    if not user.is_authenticated:
        return None
    # One query for what the rows say; permissions from the user's permission cache,
    # which the menu reads anyway.
    with statement_cursor() as cursor:
        cursor.execute(_seat_sql(), {"user": user.pk, "group": COORDINATOR})
        row = cursor.fetchone()
    has_trainee_profile, is_partner_staff, is_coordinator, has_enrolments = (
        bool(answer) for answer in row
    )
    return Seat(
        has_trainee_profile=has_trainee_profile,
        is_partner_staff=is_partner_staff,
        keeps_attendance=keeps_attendance(user=user),
        is_coordinator=is_coordinator or user.is_superuser,
        has_enrolments=has_enrolments,
    )
