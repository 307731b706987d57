"""Blank import files for coordinators: the columns, one example row, the values allowed.

The example rows go together: the institution of the first file is the one the trainee
of the second works at, and the third enrols that trainee in the first edition open
now with seats left. So on
a fresh platform (the demo included) the three files import one after the other as they
are downloaded, and a second upload of the same file shows "already there, unchanged".
"""

import io

import openpyxl
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from ..models import (
    HOLDING,
    Edition,
    EducationLevel,
    Gender,
    InstitutionType,
    Position,
    SupportKind,
)
from .imports import COLUMNS, KINDS, POLISH_CHOICES

# File names in Polish whatever the interface language, like the exports'.
FILE_NAMES = {
    "institutions": "wzor-importu-instytucje.xlsx",
    "trainees": "wzor-importu-uczestnicy.xlsx",
    "enrolments": "wzor-importu-zapisy.xlsx",
}
CHOICE_COLUMNS = {
    ("institutions", "type"): InstitutionType,
    ("trainees", "gender"): Gender,
    ("trainees", "position"): Position,
    ("trainees", "education"): EducationLevel,
}
EXAMPLE_INSTITUTION = "Gminny Ośrodek Pomocy Społecznej w Mykanowie"
EXAMPLE_EMAIL = "jan.przykladowy@example.pl"


def _value(choices, code) -> str:
    """A choice as the file writes it: in Polish, or in the interface language."""
    if translation.get_language() == "pl":
        return POLISH_CHOICES[choices][code]
    return str(choices(code).label)


def _edition_code() -> str:
    """An edition open for enrolment now with seats left, the first to start (else
    one without seats left); a placeholder when none is open."""
    now = timezone.now()
    open_now = (
        Edition.objects.filter(
            is_published=True,
            enrolment_opens__lte=now,
            enrolment_closes__gt=now,
            course__kind=SupportKind.TRAINING,
        )
        .annotate(held=Count("enrolments", filter=Q(enrolments__status__in=HOLDING)))
        .order_by("start_date", "code")
    )
    edition = open_now.filter(held__lt=F("capacity")).first() or open_now.first()
    return edition.code if edition else "KOD-GRUPY"


def _example(kind: str) -> dict[str, str]:
    if kind == "institutions":
        return {
            "name": EXAMPLE_INSTITUTION,
            "type": _value(InstitutionType, InstitutionType.OPS),
            "voivodeship": "śląskie",
            "county": "częstochowski",
            "municipality": "Mykanów",
        }
    if kind == "trainees":
        return {
            "email": EXAMPLE_EMAIL,
            "first_name": "Jan",
            "last_name": "Przykładowy",
            "gender": _value(Gender, Gender.MALE),
            "position": _value(Position, Position.SOCIAL_WORKER),
            "institution": EXAMPLE_INSTITUTION,
            "municipality": "Mykanów",
            "education": _value(EducationLevel, EducationLevel.ISCED_5_8),
        }
    return {"email": EXAMPLE_EMAIL, "edition": _edition_code()}


def import_template(*, kind: str) -> bytes:
    """An XLSX with the kind's columns (required ones marked *), an example row and
    a second sheet explaining each column."""
    columns = COLUMNS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(KINDS[kind])[:31]
    sheet.append(
        [
            f"{column.label} *" if column.required else str(column.label)
            for column in columns
        ]
    )
    example = _example(kind)
    sheet.append([example.get(column.key, "") for column in columns])
    bold = Font(bold=True)
    for number, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=number).font = bold
        letter = openpyxl.utils.get_column_letter(number)
        width = max(len(str(column.label)), len(example.get(column.key, ""))) + 4
        sheet.column_dimensions[letter].width = min(width, 60)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Explanations")[:31])
    notes.append([_("Column"), _("Required"), _("Values")])
    for cell in notes[1]:
        cell.font = bold
    for column in columns:
        choices = CHOICE_COLUMNS.get((kind, column.key))
        values = (
            "; ".join(_value(choices, code) for code in choices.values)
            if choices
            else ""
        )
        notes.append(
            [str(column.label), _("yes") if column.required else _("no"), values]
        )
    notes.append([])
    notes.append(
        [
            _(
                "Row 2 is an example: replace it with your data. Headers may be in "
                "Polish or in English; * marks a required column."
            )
        ]
    )
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 12
    notes.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
