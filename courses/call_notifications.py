"""The e-mail that tells each applicant of a call its result and the reason."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models.recruitment import CallApplication


def send_call_results(*, application_ids: list[int]) -> int:
    """One e-mail per application to its representative, in Polish; the number sent."""
    sent = 0
    applications = CallApplication.objects.filter(
        pk__in=application_ids
    ).select_related("call__project", "representative")
    for application in applications:
        address = application.representative.email
        if not address:
            continue
        with translation.override("pl"):
            context = {"application": application, "call": application.call}
            subject = render_to_string(
                "courses/emails/call_result_subject.txt", context
            )
            body = render_to_string("courses/emails/call_result.txt", context)
        sent += send_mail(
            " ".join(subject.split()),
            body,
            None,
            [address],
        )
    return sent
