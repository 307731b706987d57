"""Who may open which URL: the one place every URL of the site is classified.

`tests/access/test_matrix.py` walks the URL resolver (site, Wagtail admin, websockets)
and fails on any URL that is not classified here, so a new URL must say who may
reach it. To classify one:

- a site URL: `PAGES["app:name"] = Entry(expect=..., kwargs=lambda w: {...})`, `w`
  being the world of `tests/access/world.py` (add the object your URL needs there);
  build `expect` with `rule(...)` or a shorthand below (`public`, `signed_in`,
  `only`), e.g. `only(TRAINEE_A, COORDINATOR, SUPERUSER)` for the owner's download.
  A view that answers POST only gets `method="post"` (and `data=lambda w: {...}`).
- a Wagtail admin screen of the project: `ADMIN_AREAS["namespace"] = Area(...)`.
- a websocket route: `WEBSOCKETS["ws/.../<int:x>/"] = Socket(...)`.

Outcomes, checked for every persona of `world.PERSONAS`:
OK       200.
ALLOWED  not refused: 2xx, 3xx elsewhere than a login page or the admin dashboard, or
         an answer to the data itself (400 a bad form, 409 a refused change, 503 a
         file not stored yet).
LOGIN    a redirect to the login page (anonymous visitors).
DENY     403 or 404, or a signed-in person sent to a login page or to the admin
         dashboard (Wagtail's answer to a missing permission).
ANY      not asserted beyond "no server error": for Wagtail's and allauth's own views,
         and URLs whose rules a dedicated test covers (say which in `note`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from tests.access.world import (
    ADVISER,
    ANON,
    APPLICANT,
    COORDINATOR,
    PARTNER_IN,
    PARTNER_OUT,
    PERSONAS,
    SUPERUSER,
    TRAINEE_A,
    TRAINEE_B,
    TRAINER_OTHER,
    TRAINER_OWN,
    World,
)

OK = "OK"
ALLOWED = "ALLOWED"
LOGIN = "LOGIN"
DENY = "DENY"
ANY = "ANY"

SIGNED_IN = tuple(p for p in PERSONAS if p != ANON)
STAFF = (COORDINATOR, SUPERUSER)


def rule(
    default: str = DENY,
    *,
    anon: str = LOGIN,
    ok: Iterable[str] = (),
    allowed: Iterable[str] = (),
    deny: Iterable[str] = (),
    any_: Iterable[str] = (),
) -> dict[str, str]:
    """An outcome for every persona: `default` unless listed."""
    expect = dict.fromkeys(PERSONAS, default)
    expect[ANON] = anon
    for outcome, personas in ((OK, ok), (ALLOWED, allowed), (DENY, deny), (ANY, any_)):
        for persona in personas:
            expect[persona] = outcome
    return expect


def public() -> dict[str, str]:
    """Anyone, signed in or not."""
    return rule(OK, anon=OK)


def signed_in(outcome: str = OK) -> dict[str, str]:
    """Anyone signed in, each seeing their own; visitors are sent to log in."""
    return rule(outcome)


def only(*personas: str, outcome: str = OK) -> dict[str, str]:
    """These personas; everyone else signed in is refused, visitors log in."""
    expect = rule(DENY)
    expect.update(dict.fromkeys(personas, outcome))
    return expect


@dataclass(frozen=True)
class Entry:
    expect: Mapping[str, str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    note: str = ""
    # A capability URL (a secret token in the path): whoever holds it reads the
    # owner's data, so the answer is not searched for A's data.
    capability: bool = False


NO_ERROR = Entry(expect=rule(ANY, anon=ANY))
OWNER_AND_STAFF = (TRAINEE_A, *STAFF)
GROUP_STAFF = (TRAINER_OWN, *STAFF)


def _group(w: World) -> dict:
    return {"pk": w.edition.pk}


def _session(w: World) -> dict:
    return {"pk": w.session.pk}


PAGES: dict[str, Entry] = {
    # -- the site's own pages ---------------------------------------------------------
    "search": Entry(public()),
    "media_image": Entry(
        rule(ANY, anon=ANY),
        kwargs=lambda w: {"path": "images/missing.png"},
        note="tests/cms/test_image_access.py: restricted lessons' images",
    ),
    "my_account": Entry(signed_in()),
    "courses:catalogue": Entry(public()),
    "courses:profile": Entry(signed_in()),
    "courses:participant_record": Entry(signed_in(ALLOWED)),
    "courses:my_enrolments": Entry(signed_in()),
    "courses:my_data": Entry(signed_in()),
    "courses:consents_save": Entry(signed_in(ALLOWED), method="post"),
    "courses:my_data_download": Entry(signed_in(ALLOWED)),
    "courses:erasure": Entry(signed_in(ALLOWED)),
    # Signed out by the request itself; without one it sends to the privacy page.
    "courses:erasure_done": Entry(rule(ALLOWED, anon=ALLOWED)),
    "courses:privacy": Entry(public()),
    "courses:privacy_clause": Entry(public(), kwargs=lambda w: {"pk": w.clause.pk}),
    "courses:calendar_feed_manage": Entry(signed_in(ALLOWED), method="post"),
    "courses:calendar_feed": Entry(
        public(),
        kwargs=lambda w: {"token": w.calendar_token},
        note="a private subscription URL: whoever holds the token reads it",
        capability=True,
    ),
    "courses:edition": Entry(public(), kwargs=lambda w: {"pk": w.upcoming.pk}),
    # The counts every visitor of the edition page sees (the live seats' fallback).
    "courses:edition_seats": Entry(public(), kwargs=lambda w: {"pk": w.upcoming.pk}),
    "courses:enrol": Entry(
        signed_in(ALLOWED), kwargs=lambda w: {"pk": w.upcoming.pk}, method="post"
    ),
    "courses:withdraw": Entry(
        only(TRAINEE_A, outcome=ALLOWED),
        kwargs=lambda w: {"pk": w.pending.pk},
        method="post",
    ),
    "courses:application_pdf": Entry(
        only(*OWNER_AND_STAFF), kwargs=lambda w: {"pk": w.pending.pk}
    ),
    "courses:declaration_upload": Entry(
        only(TRAINEE_A), kwargs=lambda w: {"pk": w.pending.pk}
    ),
    "courses:declaration_file": Entry(
        only(*OWNER_AND_STAFF), kwargs=lambda w: {"pk": w.pending.pk}
    ),
    "courses:edition_ics": Entry(public(), kwargs=lambda w: {"pk": w.upcoming.pk}),
    # An adviser's list is theirs too (their cases are in "Moje doradztwo"): empty.
    "courses:my_groups": Entry(only(TRAINER_OWN, TRAINER_OTHER, ADVISER, *STAFF)),
    "courses:group": Entry(only(*GROUP_STAFF), kwargs=_group),
    "courses:group_contacts": Entry(only(*GROUP_STAFF), kwargs=_group),
    "courses:group_message": Entry(only(*GROUP_STAFF), kwargs=_group),
    "courses:group_completion": Entry(only(*GROUP_STAFF), kwargs=_group),
    "courses:group_completion_confirm": Entry(
        only(*GROUP_STAFF, outcome=ALLOWED), kwargs=_group
    ),
    "courses:session_attendance": Entry(only(*GROUP_STAFF), kwargs=_session),
    "courses:session_pdf": Entry(only(*GROUP_STAFF), kwargs=_session),
    "courses:session_sheet": Entry(only(*GROUP_STAFF), kwargs=_session),
    "courses:session_sheet_file": Entry(only(*GROUP_STAFF), kwargs=_session),
    "courses:advisory_offers": Entry(public()),
    "courses:advisory_offer": Entry(public(), kwargs=lambda w: {"pk": w.offer.pk}),
    "courses:advisory_request": Entry(
        signed_in(ALLOWED), kwargs=lambda w: {"pk": w.offer.pk}
    ),
    "courses:advisory_request_enter": Entry(
        only(*STAFF), kwargs=lambda w: {"pk": w.offer.pk}
    ),
    "courses:my_advisory": Entry(only(ADVISER, *STAFF)),
    "courses:advisory_case": Entry(
        only(ADVISER, *STAFF), kwargs=lambda w: {"pk": w.advisory.pk}
    ),
    "courses:advisory_case_complete": Entry(
        only(ADVISER, *STAFF, outcome=ALLOWED),
        kwargs=lambda w: {"pk": w.advisory.pk},
        method="post",
    ),
    "courses:advisory_meeting_record": Entry(
        only(ADVISER, *STAFF), kwargs=lambda w: {"pk": w.meeting.pk}
    ),
    "courses:coaching_offers": Entry(public()),
    "courses:my_coaching": Entry(only(ADVISER, *STAFF)),
    "courses:my_coaching_sessions": Entry(signed_in()),
    "courses:call_groups": Entry(
        only(*STAFF), kwargs=lambda w: {"pk": w.call.pk}, note="nobody selected yet"
    ),
    "courses:working_group": Entry(
        rule(ANY),
        kwargs=lambda w: {"pk": 0},
        note="the world has no working group yet: tests/courses/test_working_groups.py",
    ),
    "courses:meeting_fee_list": Entry(
        rule(ANY),
        kwargs=lambda w: {"pk": 0, "format": "pdf"},
        note="the world has no meeting yet: tests/courses/test_working_groups.py",
    ),
    "courses:calls": Entry(public()),
    "courses:call": Entry(public(), kwargs=lambda w: {"pk": w.call.pk}),
    "courses:call_apply": Entry(signed_in(), kwargs=lambda w: {"pk": w.call.pk}),
    "courses:call_ranking": Entry(only(*STAFF), kwargs=lambda w: {"pk": w.call.pk}),
    "courses:call_select": Entry(
        only(*STAFF, outcome=ALLOWED), kwargs=lambda w: {"pk": w.call.pk}, method="post"
    ),
    "courses:call_publish": Entry(
        only(*STAFF, outcome=ALLOWED), kwargs=lambda w: {"pk": w.call.pk}, method="post"
    ),
    "courses:call_manual_points": Entry(
        only(*STAFF, outcome=ALLOWED),
        kwargs=lambda w: {"pk": w.application.pk},
        method="post",
    ),
    "courses:partner_export": Entry(only(PARTNER_IN, PARTNER_OUT)),
    "courses:partner_export_status": Entry(
        only(PARTNER_IN), kwargs=lambda w: {"pk": w.export.pk}
    ),
    "courses:partner_export_file": Entry(
        only(PARTNER_IN), kwargs=lambda w: {"pk": w.export.pk}
    ),
    # -- certificates (a plug-in) ---------------------------------------------------
    "certificates:verify": Entry(public()),
    "certificates:verify_code": Entry(
        public(), kwargs=lambda w: {"code": w.certificate.code}
    ),
    "certificates:download": Entry(
        # 503 until the PDF is stored after the commit: the world never commits.
        only(*OWNER_AND_STAFF, outcome=ALLOWED),
        kwargs=lambda w: {"pk": w.certificate.pk},
    ),
    "certificates:batch_progress": Entry(
        only(*STAFF), kwargs=lambda w: {"pk": w.certificate_batch.pk}
    ),
    # -- evaluation (a plug-in) -------------------------------------------------------
    "evaluation:test": Entry(
        only(TRAINEE_A, outcome=ANY),
        kwargs=lambda w: {"pk": w.completed.pk, "kind": "pre"},
        note="the project has no test: tests/evaluation covers taking one",
    ),
    "evaluation:survey": Entry(
        only(TRAINEE_A, outcome=ANY),
        kwargs=lambda w: {"pk": w.completed.pk},
        note="the project has no survey: tests/evaluation covers answering one",
    ),
    "evaluation:group": Entry(only(*GROUP_STAFF), kwargs=_group),
    "evaluation:print": Entry(
        only(*GROUP_STAFF, outcome=ANY),
        kwargs=_group,
        note="404 without a test; tests/evaluation prints one",
    ),
    "evaluation:paper": Entry(
        only(*GROUP_STAFF, outcome=ANY),
        kwargs=lambda w: {
            "pk": w.edition.pk,
            "enrolment_pk": w.completed.pk,
            "kind": "pre",
        },
        note="404 without a test; tests/evaluation enters one",
    ),
    # -- Wagtail's and allauth's own views --------------------------------------------
    "set_language": Entry(rule(ANY, anon=ANY), method="post"),
    "wagtail_serve": Entry(public(), kwargs=lambda w: {}),
    "wagtaildocs_serve": Entry(
        rule(ANY, anon=ANY),
        note="tests/cms/test_course_materials.py: documents of restricted lessons",
    ),
    "wagtaildocs_authenticate_with_password": NO_ERROR,
    "wagtailcore_authenticate_with_password": NO_ERROR,
    "wagtailcore_login": NO_ERROR,
    "admin_login": Entry(rule(LOGIN, anon=LOGIN), note="to allauth's one login form"),
    "account_login": NO_ERROR,
    "account_logout": NO_ERROR,
    "account_inactive": NO_ERROR,
    "account_signup": NO_ERROR,
    "account_confirm_email": NO_ERROR,
    "account_email_verification_sent": NO_ERROR,
    "account_reset_password": NO_ERROR,
    "account_reset_password_done": NO_ERROR,
    "account_reset_password_from_key": NO_ERROR,
    "account_reset_password_from_key_done": NO_ERROR,
    "account_confirm_login_code": NO_ERROR,
    "account_reauthenticate": Entry(signed_in(ANY)),
    "account_request_reauthentication_code": Entry(signed_in(ANY)),
    "account_confirm_reauthentication_code": Entry(signed_in(ANY)),
    "account_email": Entry(signed_in()),
    "account_change_password": Entry(signed_in(ALLOWED)),
    "account_set_password": Entry(signed_in(ALLOWED)),
    "mfa_index": Entry(signed_in()),
    "mfa_authenticate": NO_ERROR,
    "mfa_reauthenticate": Entry(signed_in(ANY)),
    "mfa_activate_totp": Entry(signed_in(ALLOWED)),
    "mfa_deactivate_totp": Entry(signed_in(ANY)),
    "mfa_view_recovery_codes": Entry(signed_in(ANY)),
    "mfa_generate_recovery_codes": Entry(signed_in(ANY)),
    "mfa_download_recovery_codes": Entry(signed_in(ANY)),
}


@dataclass(frozen=True)
class Area:
    """A Wagtail admin screen set (a viewset's namespace) of the project.

    Every URL of the namespace is requested with a real object of its model. `reach`
    open its index (OK); every other persona is refused on every URL of it (DENY, or
    LOGIN for visitors); `reach` get ANY on the other URLs (Wagtail checks add, change,
    delete per permission).
    """

    reach: tuple[str, ...] = STAFF
    note: str = ""


COORDINATORS = Area()
WITH_TRAINERS = Area(reach=(TRAINER_OWN, TRAINER_OTHER, *STAFF))

ADMIN_AREAS: dict[str, Area] = {
    "certificate_issuance": COORDINATORS,
    "certificate_register": COORDINATORS,
    "wagtailsnippets_certificates_certificatelayout": COORDINATORS,
    "wagtailsnippetchoosers_certificates_certificatelayout": COORDINATORS,
    "evaluation_projects": COORDINATORS,
    "evaluation_results": COORDINATORS,
    "evaluation_surveys": COORDINATORS,
    "evaluation_tests": COORDINATORS,
    "partner_exports": COORDINATORS,
    "partner_import": COORDINATORS,
    "partner_indicators": COORDINATORS,
    "partner_monitoring": COORDINATORS,
    "partner_organisations": COORDINATORS,
    "privacy_access_log": COORDINATORS,
    "privacy_change_history": COORDINATORS,
    "privacy_clauses": COORDINATORS,
    "privacy_consent_purposes": COORDINATORS,
    "privacy_consent_records": COORDINATORS,
    "privacy_consent_texts": COORDINATORS,
    "privacy_erasure_requests": COORDINATORS,
    "training_advisory": COORDINATORS,
    "training_authorised": COORDINATORS,
    "training_macroregions": COORDINATORS,
    "training_call_places": COORDINATORS,
    "training_calls": COORDINATORS,
    "training_completion_rules": COORDINATORS,
    "training_courses": COORDINATORS,
    "training_criteria": COORDINATORS,
    "training_editions": COORDINATORS,
    "training_enrolments": COORDINATORS,
    "training_fill": COORDINATORS,
    "training_institution_changes": COORDINATORS,
    "training_institutions": COORDINATORS,
    "training_projects": COORDINATORS,
    "training_quotas": COORDINATORS,
    "training_rules": COORDINATORS,
    "training_sessions": COORDINATORS,
    "training_trainees": COORDINATORS,
    "training_voivodeships": COORDINATORS,
    "wagtailsnippets_courses_trainerprofile": WITH_TRAINERS,
    "wagtailsnippetchoosers_courses_trainerprofile": WITH_TRAINERS,
}

# Wagtail's own admin (pages, images, documents, users, ...): every persona without
# admin access is refused everywhere; a trainer is refused the screens that hold
# other people's data or the site's configuration (index URLs checked); the rest is
# Wagtail's own permission model (ANY).
WAGTAIL_ADMIN_PREFIXES = (
    "wagtailadmin",
    "wagtail_bulk",
    "wagtaildocs",
    "wagtailembeds",
    "wagtailforms",
    "wagtailimages",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "wagtailsettings",
    "wagtailsites",
    "wagtailsnippets:",
    "wagtailusers",
)
WAGTAIL_ADMIN_DENIED_TO_TRAINERS = (
    "wagtailusers_users:index",
    "wagtailusers_groups:index",
    "wagtailsites:index",
    "wagtailredirects:index",
    "wagtailforms:index",
    "wagtailsearchpromotions:index",
    "wagtailadmin_workflows:index",
    "wagtailadmin_workflows:task_index",
)
# Everyone with admin access reaches it (the dashboard), in Django's admin nobody but
# a superuser.
NO_ADMIN_ACCESS = (
    ANON,
    TRAINEE_A,
    TRAINEE_B,
    ADVISER,
    APPLICANT,
    PARTNER_IN,
    PARTNER_OUT,
)


@dataclass(frozen=True)
class Socket:
    """A websocket route: `accept` get messages; everyone else is closed with 4xxx."""

    accept: tuple[str, ...]
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    note: str = ""


WEBSOCKETS: dict[str, Socket] = {
    "ws/edycje/<int:edition_id>/": Socket(
        accept=PERSONAS,
        kwargs=lambda w: {"edition_id": w.upcoming.pk},
        note="free seats of a published edition: public",
    ),
    "ws/eksport/<int:log_id>/": Socket(
        accept=(PARTNER_IN,), kwargs=lambda w: {"log_id": w.export.pk}
    ),
    "ws/zaswiadczenia/wydawanie/<int:batch_id>/": Socket(
        accept=STAFF, kwargs=lambda w: {"batch_id": w.certificate_batch.pk}
    ),
}
