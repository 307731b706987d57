"""The e-mail a trainee gets when their certificate is issued: HTML and text, Polish."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from courses.funding import funding_statement
from courses.links import public_url

from .models import Certificate
from .pdf import verification_url


def send_certificate_email(
    *,
    certificate: Certificate,
    statements: dict[int, str] | None = None,
    loaded: bool = False,
) -> None:
    """Tell the holder the certificate is ready, with the links to get and verify it.

    `loaded`: the certificate comes with its enrolment, trainee, user, edition, course
    and project (as issuing made it), so it is not read again. `statements`: a bulk
    issuance's funding statements by project, filled as it goes.
    """
    if not loaded:
        certificate = Certificate.objects.select_related(
            "enrolment__trainee__user", "enrolment__edition__course", "project"
        ).get(pk=certificate.pk)
    enrolment = certificate.enrolment
    address = enrolment.trainee.user.email
    if not address:
        return
    context = {
        "certificate": certificate,
        "enrolment": enrolment,
        "trainee": enrolment.trainee,
        "edition": enrolment.edition,
        "course": enrolment.edition.course,
        "project": certificate.project,
        "download_url": public_url(
            reverse("certificates:download", args=[certificate.pk])
        ),
        "verify_url": verification_url(certificate=certificate),
        "my_enrolments_url": public_url(reverse("courses:my_enrolments")),
    }
    with translation.override("pl"):
        statements = {} if statements is None else statements
        if certificate.project_id not in statements:
            statements[certificate.project_id] = funding_statement(
                project=certificate.project
            )
        context["funding_statement"] = statements[certificate.project_id]
        subject = render_to_string(
            "certificates/emails/certificate_issued_subject.txt", context
        )
        text = render_to_string("certificates/emails/certificate_issued.txt", context)
        html = render_to_string("certificates/emails/certificate_issued.html", context)
    project = certificate.project
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[address],
        reply_to=[project.contact_email] if project.contact_email else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()
