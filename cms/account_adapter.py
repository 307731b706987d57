"""allauth's e-mails in the site's voice and design, with links on the site's address.

Every e-mail allauth sends (address confirmation, password reset, a changed password
or e-mail, two-step verification switched on or off, recovery codes...) gets the
site's text frame (account/email/base_message.txt, base_notification.txt) and an
HTML version in the design of the platform's own e-mails (account/email/layout.html),
built from the text so both say the same. Links start with `courses.links.public_url`:
the request's address in development, the configured site address in production.
"""

from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from courses.links import public_base_url, public_url

SITE_NAME = "Szkolenia ROPS"


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return public_url(
            reverse("account_confirm_email", args=[emailconfirmation.key])
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}
        )
        return public_url(path.replace("UID-KEY", quote(key)))

    def render_mail(
        self, template_prefix, email, context, headers=None
    ) -> EmailMessage:
        context = {
            **context,
            # allauth's texts name the site and its domain: ours, not the Host header.
            "current_site": SimpleNamespace(
                name=SITE_NAME, domain=urlsplit(public_base_url()).netloc
            ),
            "site_name": SITE_NAME,
            "site_url": public_url("/"),
            "account_url": public_url(reverse("my_account")),
        }
        message = super().render_mail(template_prefix, email, context, headers)
        if not isinstance(message, EmailMultiAlternatives) or message.alternatives:
            return message
        html = render_to_string(
            "account/email/layout.html",
            {
                **context,
                "heading": message.subject.removeprefix(
                    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                ),
                "body": message.body,
            },
        )
        message.attach_alternative(html, "text/html")
        return message
