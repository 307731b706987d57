"""What certificates adds to a person's copy of their data, and drops at anonymisation."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from courses.extensions import PersonalDataPart
from courses.signals import trainee_anonymised

from .models import Certificate

ANONYMISED = "Zanonimizowany"


def certificates_part(*, trainee) -> PersonalDataPart | None:
    """The person's certificates: the register's rows and the stored PDFs."""
    certificates = Certificate.objects.filter(enrolment__trainee=trainee).order_by(
        "issued_on", "pk"
    )
    rows, files = [], {}
    for certificate in certificates:
        rows.append(
            {
                _("number"): certificate.number,
                _("course"): certificate.course_title,
                _("issued on"): certificate.issued_on.isoformat(),
                _("revoked"): bool(certificate.revoked_at),
            }
        )
        if certificate.pdf:
            with certificate.pdf.open("rb") as pdf:
                files[f"{certificate.number.replace('/', '-')}.pdf"] = pdf.read()
    if not rows:
        return None
    return PersonalDataPart(
        key="certificates", title=_("Certificates"), rows=rows, files=files
    )


@receiver(trainee_anonymised)
def anonymise_certificates(*, trainee, **kwargs) -> None:
    """The register keeps number, course and dates, so a number still verifies."""
    for certificate in Certificate.objects.filter(enrolment__trainee=trainee):
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        Certificate.objects.filter(pk=certificate.pk).update(
            holder_name=ANONYMISED, snapshot={}, pdf=""
        )
