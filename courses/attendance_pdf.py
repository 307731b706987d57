"""The printable attendance list (lista obecności) of one session."""

from django.utils import timezone, translation
from wagtail.models import Site

from .documents import render_pdf
from .funding import project_funding
from .models import Session
from .selectors import attendance_roster


def render_attendance_list_pdf(*, session: Session, site: Site | None = None) -> bytes:
    """A4 list of the session's trainees with an empty column for their signatures."""
    session = Session.objects.select_related("edition__course", "edition__project").get(
        pk=session.pk
    )
    edition = session.edition
    with translation.override("pl"):
        funding = project_funding(project=edition.project, site=site)
    return render_pdf(
        template="courses/attendance/attendance_list_pdf.html",
        context={
            "session": session,
            "edition": edition,
            "course": edition.course,
            "project": edition.project,
            "trainers": list(edition.trainers.all()),
            "trainees": attendance_roster(session=session),
            # Room for someone who came but is not on the list yet.
            "spare_rows": range(2),
            "funding": funding,
            "printed_on": timezone.localdate(),
        },
    )
