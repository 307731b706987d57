"""Two-step verification: required for those who reach personal data, optional for trainees."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from courses import roles
from tests.e2e.helpers import totp_code
from tests.factories import TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "haslo-testowe-123"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_MFA_REQUIRED = True


def _reauthenticate(client):
    response = client.post(
        "/konto/reauthenticate/?next=/konto/2fa/totp/activate/", {"password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/konto/2fa/totp/activate/"


def _log_in(client, user, *, code: str | None = None):
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    if code is not None:
        assert response.url == "/konto/2fa/authenticate/"
        response = client.post("/konto/2fa/authenticate/", {"code": code})
    return response


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.PARTNER, roles.TRAINER])
def test_staff_without_an_authenticator_reach_only_its_set_up(client, role):
    _log_in(client, UserFactory(role=role))
    for path in ("/konto/", "/admin/", "/moje-grupy/", "/eksport-danych/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == "/konto/2fa/totp/activate/"
    # allauth asks for the password once more before an authenticator is added.
    assert client.get("/konto/2fa/totp/activate/").url.startswith(
        "/konto/reauthenticate/"
    )
    _reauthenticate(client)
    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    assert page.context["form"].secret
    # Logging out stays possible.
    assert client.post("/konto/logout/").status_code == 302


def test_other_ways_into_a_role_count_too(client):
    from courses.models import PartnerOrganisation

    partner_clerk = UserFactory()  # no group, but on a partner organisation's staff
    PartnerOrganisation.objects.create(name="OWES Śląsk").staff.add(partner_clerk)
    trainer = UserFactory()
    TrainerProfileFactory(user=trainer)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (partner_clerk, trainer, superuser):
        client.force_login(user)
        assert client.get("/konto/").url == "/konto/2fa/totp/activate/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_the_app_opens_the_way_in_the_same_session(client):
    coordinator = UserFactory(role=roles.COORDINATOR)
    _log_in(client, coordinator)
    _reauthenticate(client)
    client.get("/konto/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    wrong = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Błędny kod." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=coordinator).exists()
    # allauth announces the new authenticator once its transaction commits (a real
    # commit here: the session learns of it before the response is saved).
    done = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(
        user=coordinator, type=Authenticator.Type.TOTP
    ).exists()
    # Recovery codes come with it.
    assert Authenticator.objects.filter(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get("/admin/").status_code == 200


def test_a_login_asks_for_the_code_and_a_wrong_code_gets_nowhere(client):
    coordinator = UserFactory(role=roles.COORDINATOR)
    TOTP.activate(coordinator, SECRET)
    response = _log_in(client, coordinator)
    assert response.url == "/konto/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not logged in yet
    wrong = client.post("/konto/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post("/konto/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_also_passes_the_second_step(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    coordinator = UserFactory(role=roles.COORDINATOR)
    TOTP.activate(coordinator, SECRET)
    codes = RecoveryCodes.activate(coordinator).get_unused_codes()
    _log_in(client, coordinator, code=codes[0])
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("login_path", ["/admin/login/", "/django-admin/login/"])
def test_a_login_form_that_skips_the_second_step_gets_nowhere(client, login_path):
    coordinator = UserFactory(role=roles.COORDINATOR, is_staff=True)
    TOTP.activate(coordinator, SECRET)
    client.post(login_path, {"username": coordinator.username, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert "_auth_user_id" not in client.session  # that session was ended


def test_a_session_without_the_second_step_is_ended(client):
    coordinator = UserFactory(role=roles.COORDINATOR)
    TOTP.activate(coordinator, SECRET)
    client.force_login(coordinator)
    response = client.get("/admin/training/enrolments/")
    assert response.status_code == 302
    assert response.url == "/konto/login/?next=/admin/training/enrolments/"
    assert "_auth_user_id" not in client.session


def test_trainees_need_nothing_but_may_turn_it_on(client):
    trainee = UserFactory(role=roles.TRAINEE)
    client.force_login(trainee)
    assert client.get("/konto/").status_code == 200
    assert client.get("/moje-szkolenia/").status_code == 200
    assert client.get("/konto/2fa/").status_code == 200
    assert "/konto/2fa/" in client.get("/konto/").content.decode()


def test_the_requirement_can_be_switched_off_outside_production(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert client.get("/admin/").status_code == 200


def test_the_demo_staff_have_the_documented_secret(demo_data, client):
    coordinator = UserFactory(email="koordynator@szkolenia.test")
    for email in (
        "admin@szkolenia.test",
        "koordynator@szkolenia.test",
        "trener@szkolenia.test",
        "partner@szkolenia.test",
    ):
        assert Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).exists(), email
    assert not Authenticator.objects.filter(
        user__email="uczestnik@szkolenia.test"
    ).exists()
    response = client.post(
        "/konto/login/",
        {"login": coordinator.email, "password": "koordynator-demo-2026"},
    )
    assert response.url == "/konto/2fa/authenticate/"
    client.post("/konto/2fa/authenticate/", {"code": totp_code()})
    assert client.get("/admin/").status_code == 200
