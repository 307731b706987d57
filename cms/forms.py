from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

from courses.forms import ConsentsForm
from courses.models import ClauseAcknowledgement, ConsentHow
from courses.services import privacy


class _PlainLabels:
    """Labels without the trailing colon and with the field's name spelled out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for name in ("email", "login"):
            if name in self.fields:
                self.fields[name].label = _("E-mail address")


class LoginForm(_PlainLabels, allauth_forms.LoginForm):
    pass


class SignupForm(_PlainLabels, allauth_forms.SignupForm):
    """Sign-up with the platform's information clause shown and optional consents."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clause = privacy.clause_current(project=None)
        self.consents = ConsentsForm(texts=privacy.consents_current())
        self.fields.update(self.consents.fields)
        for name in self.consents.fields:
            self.fields[name].initial = False

    def custom_signup(self, request, user):
        super().custom_signup(request, user)
        decisions = {
            text.pk: bool(self.cleaned_data.get(name))
            for name, text in self.consents.texts.items()
        }
        privacy.consents_record(user=user, decisions=decisions, how=ConsentHow.SIGNUP)
        privacy.clause_acknowledge(
            user=user, clause=self.clause, how=ClauseAcknowledgement.How.SIGNUP
        )


class ResetPasswordForm(_PlainLabels, allauth_forms.ResetPasswordForm):
    pass


def user_display(user) -> str:
    """People are known by their e-mail address here, never by a username."""
    return user.get_full_name() or user.email
