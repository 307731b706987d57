"""The printable fee list (lista wynagrodzeń) of one meeting of a working group."""

from django.utils import timezone, translation
from wagtail.models import Site

from .documents import render_pdf
from .funding import project_funding


def render_fee_list_pdf(*, fees, site: Site | None = None) -> bytes:
    """A4 list of the members' fees with a column for each member's signature."""
    meeting = fees.meeting
    group = meeting.group
    project = group.call.project
    with translation.override("pl"):
        funding = project_funding(project=project, site=site)
    return render_pdf(
        template="courses/working_groups/fee_list_pdf.html",
        context={
            "fees": fees,
            "meeting": meeting,
            "group": group,
            "project": project,
            "funding": funding,
            "printed_on": timezone.localdate(),
        },
    )
