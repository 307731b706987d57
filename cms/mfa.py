"""Two-step verification (allauth MFA: TOTP and recovery codes) for those who see data.

Coordinators, partners' clerks, trainers, advisers and staff reach personal data, so with
`STAFF_MFA_REQUIRED` on (the default; always on in production) they reach nothing but
the set-up pages until they have an authenticator app, and nothing at all in a session
that did not pass the second step: a login that skipped it (e.g. through another login
form) is ended and sent to the site's login, which asks for the code. Trainees may turn
it on from "Moje konto"; allauth then asks them for the code at every login too.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.prepared import Prepared
from courses.roles import ADVISER, COORDINATOR, PARTNER, TRAINER

# Set when the person set up their authenticator in this very session: entering a
# valid code to activate it is the second step.
SET_UP_IN_SESSION = "cms.mfa.set_up_in_session"
ROLES_THAT_NEED_MFA = (COORDINATOR, PARTNER, TRAINER, ADVISER)


def mfa_required(user) -> bool:
    """Whether this account must use two-step verification now."""
    return getattr(settings, "STAFF_MFA_REQUIRED", True) and needs_mfa(user)


def needs_mfa(user) -> bool:
    """Whether the account's roles reach personal data (whatever the setting says)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(_reaches_data(user_id=user.pk))


# One query for the three ways to reach data (a role, a trainer's profile, a partner's
# organisation): it runs on every request of every signed-in person, so it is compiled
# once per process (courses.prepared).
_reaches_data = Prepared(
    lambda user_id: (
        get_user_model()
        .objects.filter(pk=user_id)
        .filter(
            Q(groups__name__in=ROLES_THAT_NEED_MFA)
            | Q(trainer_profile__isnull=False)
            | Q(partner_organisations__isnull=False)
        )
        .values_list("pk")[:1]
    ),
    "user_id",
)


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def passed_second_step(request: HttpRequest) -> bool:
    """Whether this session's login went through the code (or set the app up)."""
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    return request.session.get(SET_UP_IN_SESSION) == str(request.user.pk)


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        request.session[SET_UP_IN_SESSION] = str(user.pk)


def _allowed_paths() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("set_language"),
        settings.STATIC_URL,
    )


class StaffMFAMiddleware:
    """Sends those who must use two-step verification to set it up, or to log in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_allowed_paths())
            and mfa_required(user)
        ):
            if not has_authenticator(user):
                messages.warning(
                    request,
                    _(
                        "Your account gives access to personal data: set up two-step "
                        "verification with an authenticator app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
            if not passed_second_step(request):
                next_path = request.get_full_path()
                logout(request)
                messages.warning(
                    request,
                    _(
                        "Log in again with the code from your authenticator app: "
                        "this session skipped the second step."
                    ),
                )
                return redirect_to_login(next_path)
        return self.get_response(request)
