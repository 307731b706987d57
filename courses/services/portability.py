"""A person's copy of everything the platform holds about them (art. 15 and 20 GDPR)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from wagtail import hooks

from ..documents import render_pdf
from ..extensions import PERSONAL_DATA_HOOK, PersonalDataPart
from ..models import Attendance, ClauseAcknowledgement, Enrolment, TraineeProfile
from ..storage import private_storage
from .access import access_events_of
from .privacy import consent_history

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _profile(trainee: TraineeProfile) -> dict[str, Any]:
    institution = trainee.institution
    return {
        "first_name": trainee.first_name,
        "last_name": trainee.last_name,
        "gender": trainee.get_gender_display(),
        "position": trainee.get_position_display(),
        "education": trainee.get_education_display(),
        "phone": trainee.phone,
        "pesel": trainee.pesel,
        "created_at": _when(trainee.created_at),
        "institution": {
            "name": institution.name,
            "type": institution.get_type_display(),
            "voivodeship": str(institution.voivodeship),
            "county": institution.county,
            "municipality": institution.municipality,
            "regon": institution.regon,
        },
    }


def _enrolments(trainee: TraineeProfile) -> list[dict[str, Any]]:
    rows = []
    enrolments = Enrolment.objects.filter(trainee=trainee).select_related(
        "edition__course", "edition__project"
    )
    for enrolment in enrolments.order_by("created_at"):
        attendance = Attendance.objects.filter(enrolment=enrolment).select_related(
            "session"
        )
        rows.append(
            {
                "edition": enrolment.edition.code,
                "course": enrolment.edition.course.title,
                "project": enrolment.edition.project.name,
                "start_date": _when(enrolment.edition.start_date),
                "end_date": _when(enrolment.edition.end_date),
                "status": enrolment.get_status_display(),
                "applied_at": _when(enrolment.created_at),
                "declaration": bool(enrolment.declaration),
                "history": [
                    {
                        "at": _when(event.created_at),
                        "status": event.get_to_status_display(),
                        "reason": event.reason,
                    }
                    for event in enrolment.events.all()
                ],
                "attendance": [
                    {"date": _when(mark.session.date), "present": mark.present}
                    for mark in attendance.order_by("session__date")
                ],
            }
        )
    return rows


def personal_data(*, user: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Everything held about the user as JSON-ready data, and their own files."""
    trainee = (
        TraineeProfile.objects.select_related("institution__voivodeship")
        .filter(user=user)
        .first()
    )
    data: dict[str, Any] = {
        "generated_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "consents": consent_history(user=user),
        "information_clauses_shown": [
            {
                "clause": str(ack.clause),
                "how": ack.get_how_display(),
                "at": _when(ack.at),
            }
            for ack in ClauseAcknowledgement.objects.filter(user=user).select_related(
                "clause__project"
            )
        ],
    }
    files: dict[str, bytes] = {}
    if trainee is None:
        return data, files
    data["trainee"] = _profile(trainee)
    data["enrolments"] = _enrolments(trainee)
    data["access_log"] = [
        {
            "at": _when(event.created_at),
            "organisation": event.organisation,
            "role": event.role,
            "action": event.get_action_display(),
            "what": event.what,
        }
        for event in access_events_of(trainee=trainee)
    ]
    storage = private_storage()
    for enrolment in Enrolment.objects.filter(trainee=trainee).exclude(declaration=""):
        name = enrolment.declaration.name or ""
        if name and storage.exists(name):
            with storage.open(name) as stored:
                files[f"oswiadczenie-{enrolment.pk}.{name.rsplit('.', 1)[-1]}"] = (
                    stored.read()
                )
    for contribute in hooks.get_hooks(PERSONAL_DATA_HOOK):
        part: PersonalDataPart | None = contribute(trainee=trainee)
        if part is not None:
            data[part.key] = {"title": part.title, "rows": part.rows}
            files.update(
                {f"{part.key}/{n}": content for n, content in part.files.items()}
            )
    return data, files


def personal_data_zip(*, user: User) -> bytes:
    """The ZIP a person downloads: dane.json, dane.pdf and their files under pliki/."""
    data, files = personal_data(user=user)
    readable = render_pdf(
        template="courses/documents/personal_data.html", context={"data": data}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "dane.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        archive.writestr("dane.pdf", readable)
        for name, content in sorted(files.items()):
            archive.writestr(f"pliki/{name}", content)
    return buffer.getvalue()
