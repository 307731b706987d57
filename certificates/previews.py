"""The sample certificate a template would issue, for the coordinator's preview."""

import datetime

from django.utils import timezone

from courses.models import Course, Edition

from .models import Certificate, CertificateLayout
from .pdf import CertificateRenderer
from .services import (
    funding_snapshot,
    programme_topics,
    template_logos,
    template_source,
)

SAMPLE_HOLDER = "Anna Przykładowa"
SAMPLE_CODE = "PODGLAD23456789A"  # of the verification alphabet; verifies nothing


def _sample_course(*, layout: CertificateLayout) -> Course:
    if layout.course is not None:
        return layout.course
    edition = (
        Edition.objects.filter(project=layout.project_id)
        .select_related("course")
        .order_by("start_date")
        .first()
    )
    return (
        edition.course if edition else Course(title="Szkolenie przykładowe", hours=16)
    )


def layout_preview_pdf(*, layout: CertificateLayout) -> bytes:
    """A certificate of an invented person, from the (possibly unsaved) template."""
    project = layout.project
    course = _sample_course(layout=layout)
    today = timezone.localdate()
    certificate = Certificate(
        project=project,
        year=today.year,
        sequence=1,
        number=f"{project.code}/{today.year}/00001",
        code=SAMPLE_CODE,
        issued_on=today,
        holder_name=SAMPLE_HOLDER,
        course_title=course.title,
        hours=course.hours,
        start_date=today - datetime.timedelta(days=2),
        end_date=today,
        snapshot={
            "project_name": project.name,
            "project_code": project.code,
            "programme": project.programme,
            "measure": project.measure,
            "edition_code": "PODGLĄD",
            "place": layout.place,
            "gender": "K",
            "topics": programme_topics(course=course) if course.pk else [],
            "trainers": [],
            "template": layout.texts(),
            "template_source": template_source(template=layout),
            "logos": template_logos(template=layout),
            "funding": funding_snapshot(project=project),
        },
    )
    return CertificateRenderer().render(certificate=certificate)
