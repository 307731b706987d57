from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _


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
    pass


class ResetPasswordForm(_PlainLabels, allauth_forms.ResetPasswordForm):
    pass


def user_display(user) -> str:
    """People are known by their e-mail address here, never by a username."""
    return user.get_full_name() or user.email
