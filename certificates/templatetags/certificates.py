from django import template

from ..models import Certificate

register = template.Library()


@register.inclusion_tag("certificates/includes/certificate_links.html")
def certificate_links(enrolment):
    """Download links of the enrolment's valid certificates, for "My training"."""
    certificates = Certificate.objects.filter(
        enrolment=enrolment, revoked_at__isnull=True
    ).only("pk", "number", "issued_on", "code")
    return {"certificates": list(certificates)}
