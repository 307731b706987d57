"""Bulk import for coordinators: institutions, trainees and enrolments.

A dry run and a commit do the same work; the dry run rolls it back. So the preview
shows exactly what the commit will do, waitlisting included, and any error in any
row rolls back the whole file: all or nothing.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.pl import pesel as stdnum_pesel
from stdnum.pl import regon as stdnum_regon

from .. import roles
from ..crypto import keyed_hash
from ..errors import EnrolmentError
from ..history import history_record_created
from ..imports import ImportFileError, Sheet, sheet_read
from ..links import on_commit_keeping_address
from ..models import (
    Edition,
    EducationLevel,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Gender,
    Institution,
    InstitutionType,
    Position,
    Quota,
    TraineeProfile,
    Voivodeship,
)
from ..notifications import enrolment_emails_coalesced
from ..signals import enrolment_status_changed
from .actors import Actor, actor_user
from .eligibility import EligibilityCache, eligibility_with_quota
from .enrolment import _announce_seats, _held_status, _Tally, enrolments_expire
from .locking import lock_editions, lock_quotas, locking_transaction


@dataclass(frozen=True)
class Column:
    """A column of an import file: its field, its header and the header in Polish.

    The Polish header is written out rather than looked up in the translations, so a
    file is read alike whatever language the coordinator works in and whether or not
    the catalogues are compiled (tests check both agree with the catalogue).
    """

    key: str
    label: object
    polish: str
    required: bool = True


COLUMNS = {
    "institutions": [
        Column("name", gettext_lazy("Name"), "Nazwa"),
        Column("type", gettext_lazy("Type"), "Typ"),
        Column("voivodeship", gettext_lazy("Voivodeship"), "Województwo"),
        Column("county", gettext_lazy("County"), "Powiat"),
        Column("municipality", gettext_lazy("Municipality"), "Gmina"),
        Column("regon", gettext_lazy("REGON"), "REGON", required=False),
    ],
    "trainees": [
        Column("email", gettext_lazy("E-mail"), "E-mail"),
        Column("first_name", gettext_lazy("First name"), "Imię"),
        Column("last_name", gettext_lazy("Last name"), "Nazwisko"),
        Column("gender", gettext_lazy("Gender"), "Płeć"),
        Column("position", gettext_lazy("Position"), "Stanowisko"),
        Column("institution", gettext_lazy("Institution"), "Instytucja"),
        Column("municipality", gettext_lazy("Municipality"), "Gmina"),
        Column("regon", gettext_lazy("REGON"), "REGON", required=False),
        Column("pesel", gettext_lazy("PESEL"), "PESEL", required=False),
        Column("phone", gettext_lazy("Phone"), "Telefon", required=False),
        Column(
            "education",
            gettext_lazy("Education level"),
            "Poziom wykształcenia",
            required=False,
        ),
    ],
    "enrolments": [
        Column("email", gettext_lazy("E-mail"), "E-mail", required=False),
        Column("pesel", gettext_lazy("PESEL"), "PESEL", required=False),
        Column("edition", gettext_lazy("Edition"), "Grupa"),
    ],
}
# The values of the choice columns in Polish, for the same reason as Column.polish.
POLISH_CHOICES: dict[type[models.TextChoices], dict[str, str]] = {
    InstitutionType: {
        InstitutionType.OPS: "OPS (ośrodek pomocy społecznej)",
        InstitutionType.MOPS: "MOPS (miejski ośrodek pomocy społecznej)",
        InstitutionType.MOPR: "MOPR (miejski ośrodek pomocy rodzinie)",
        InstitutionType.PCPR: "PCPR (powiatowe centrum pomocy rodzinie)",
        InstitutionType.DPS: "DPS (dom pomocy społecznej)",
        InstitutionType.SUPPORT_CENTRE: "ośrodek wsparcia",
        InstitutionType.CUS: "CUS (centrum usług społecznych)",
        InstitutionType.MUNICIPAL_OFFICE: "urząd gminy lub miasta",
        InstitutionType.COUNTY_OFFICE: "starostwo powiatowe",
        InstitutionType.VOIVODESHIP_UNIT: "jednostka szczebla wojewódzkiego",
        InstitutionType.INTEGRATION: "inna instytucja pomocy i integracji społecznej",
        InstitutionType.EMPLOYMENT_SERVICE: "publiczne służby zatrudnienia (PUP, WUP)",
        InstitutionType.CRISIS_INTERVENTION: "OIK (ośrodek interwencji kryzysowej)",
        InstitutionType.DAY_ROOM: "świetlica środowiskowa",
        InstitutionType.POLICE: "policja",
        InstitutionType.COURT: "sąd (kuratorzy sądowi)",
        InstitutionType.CULTURE_EDUCATION: "instytucja kultury lub oświaty",
        InstitutionType.NGO: "organizacja pozarządowa",
        InstitutionType.OTHER: "inne",
    },
    Position: {
        Position.SOCIAL_WORKER: "pracownik socjalny",
        Position.ASPIRANT: "aspirant pracy socjalnej",
        Position.CARE_TEAM_HEAD: (
            "kierownik lub koordynator zespołu terapeutyczno-opiekuńczego"
        ),
        Position.THERAPIST: "terapeuta",
        Position.MANAGER: "kadra kierownicza",
        Position.MAYOR: "wójt, burmistrz, prezydent miasta",
        Position.MAYOR_DELEGATE: "osoba delegowana przez wójta, burmistrza lub prezydenta",
        Position.COUNCILLOR: "radny / radna",
        Position.OTHER: "inne",
    },
    Gender: {Gender.FEMALE: "kobieta", Gender.MALE: "mężczyzna"},
    EducationLevel: {
        EducationLevel.ISCED_0: "ISCED 0 – niższe niż podstawowe",
        EducationLevel.ISCED_1: "ISCED 1 – podstawowe",
        EducationLevel.ISCED_2: "ISCED 2 – gimnazjalne",
        EducationLevel.ISCED_3: "ISCED 3 – ponadgimnazjalne (średnie)",
        EducationLevel.ISCED_4: "ISCED 4 – policealne",
        EducationLevel.ISCED_5_8: "ISCED 5–8 – wyższe",
    },
}
KINDS = {
    "institutions": gettext_lazy("Institutions"),
    "trainees": gettext_lazy("Trainees"),
    "enrolments": gettext_lazy("Enrolments"),
}


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


# What a coordinator may choose for a row whose PESEL or e-mail is an existing person's
# but whose other data differ: never decided for them.
KEEP = "keep"  # the existing person stays as they are; the row is not imported
UPDATE = "update"  # the existing person takes the file's names (and a missing PESEL)
CHOICES = {
    KEEP: gettext_lazy("keep the existing person unchanged, skip this row"),
    UPDATE: gettext_lazy("update the existing person's name from the file"),
}


PERSON_FIELDS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail"),
    "pesel": gettext_lazy("PESEL"),
}


@dataclass(frozen=True)
class Person:
    """A person as a conflict shows them, the platform's and the file's side by side."""

    first_name: str
    last_name: str
    email: str
    pesel: str


@dataclass(frozen=True)
class Conflict:
    existing: Person
    incoming: Person
    differing: tuple[str, ...]  # Person's fields that differ
    options: tuple[str, ...]  # KEEP always; UPDATE when the file's data may be taken
    chosen: str = ""
    # A second person the row names: the PESEL is `existing`'s, the e-mail this one's.
    other: Person | None = None

    def comparison(self) -> list[tuple[str, str, str, bool]]:
        """(label, on the platform, in the file, differs) for each field shown."""
        return [
            (
                str(label),
                getattr(self.existing, name),
                getattr(self.incoming, name),
                name in self.differing,
            )
            for name, label in PERSON_FIELDS.items()
        ]

    def comparison_of_two(self) -> list[tuple[str, str, str, str, bool]]:
        """(label, the PESEL's person, the e-mail's person, in the file, differs)."""
        assert self.other is not None
        return [
            (
                str(label),
                getattr(self.existing, name),
                getattr(self.other, name),
                getattr(self.incoming, name),
                name in self.differing,
            )
            for name, label in PERSON_FIELDS.items()
        ]


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: str  # "new", "unchanged", "conflict", "kept", "updated" or a status
    summary: str
    conflict: Conflict | None = None


@dataclass
class ImportResult:
    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.rows if outcome.action == action)

    @property
    def conflicts(self) -> list[RowOutcome]:
        return [outcome for outcome in self.rows if outcome.conflict is not None]

    @property
    def unresolved(self) -> list[int]:
        """Rows of conflicts nobody chose for: the file is not imported while any is."""
        return [o.row for o in self.conflicts if o.action == "conflict"]


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run or a file with errors."""


def _normal(text: object) -> str:
    return " ".join(str(text).replace("*", "").split()).casefold()


def _names(label: object, *, polish: str) -> set[str]:
    """A header or value as written in English, in Polish and in the active language."""
    with translation.override("en"):
        english = _normal(label)
    return {english, _normal(polish), _normal(label)}


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:
        lookup[_normal(code)] = code
        # A value added without its Polish name here is still read in English and in
        # the active language; the catalogue test names what is missing.
        names = _names(label, polish=POLISH_CHOICES[choices].get(code, str(label)))
        # "OPS" for "OPS (social assistance centre)": the acronym alone is enough.
        names |= {name.split(" (")[0] for name in names if " (" in name}
        for name in names:
            lookup.setdefault(name, code)
    return lookup


def _map_columns(*, kind: str, sheet: Sheet, result: ImportResult) -> dict[str, int]:
    """Which column of the file holds each field; missing required ones are errors."""
    positions = {}
    headers = [_normal(header) for header in sheet.headers]
    for column in COLUMNS[kind]:
        names = _names(column.label, polish=column.polish) | {column.key}
        found = [index for index, header in enumerate(headers) if header in names]
        if found:
            positions[column.key] = found[0]
        elif column.required:
            result.errors.append(
                RowError(
                    row=1,
                    column=str(column.label),
                    message=_("This column is missing from the first row."),
                )
            )
    return positions


def _label(kind: str, key: str) -> str:
    """The header of a field's column in the active language (for a row's error)."""
    for column in COLUMNS[kind]:
        if column.key == key:
            return str(column.label)
    return key


class _Rows:
    """One data row's cells by field name, and the errors found in it."""

    def __init__(
        self,
        *,
        number: int,
        cells: list[str],
        positions: dict[str, int],
        result: "ImportResult",
        kind: str,
    ) -> None:
        self.number = number
        self.cells = cells
        self.positions = positions
        self.result = result
        self.kind = kind
        self.failed = False

    def get(self, key: str) -> str:
        index = self.positions.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.result.errors.append(
            RowError(row=self.number, column=_label(self.kind, key), message=message)
        )

    def required(self, key: str) -> str:
        value = self.get(key)
        if not value:
            self.error(key, _("This cell is empty."))
        return value


class _Lookups:
    """Everything a row refers to, read once per file so queries do not grow with rows."""

    def __init__(self) -> None:
        self.voivodeships: dict[str, Voivodeship] = {}
        for voivodeship in Voivodeship.objects.all():
            self.voivodeships[_normal(voivodeship.name)] = voivodeship
            self.voivodeships[voivodeship.teryt] = voivodeship
        self.types = _choice_lookup(InstitutionType)
        self.positions = _choice_lookup(Position)
        self.genders = _choice_lookup(Gender)
        self.education = _choice_lookup(EducationLevel)
        self.institutions_by_regon: dict[str, Institution] = {}
        self.institutions_by_name: dict[tuple[str, str], Institution] = {}
        for institution in Institution.objects.all():
            self.remember_institution(institution)
        self.trainees_by_email: dict[str, TraineeProfile] = {}
        # Keyed by the PESEL's keyed hash: the numbers stay encrypted, none is decrypted.
        self.trainees_by_pesel: dict[str, TraineeProfile] = {}
        trainees = TraineeProfile.objects.select_related("user", "institution")
        for trainee in trainees.defer("pesel"):
            self.remember_trainee(trainee)
        self.editions: dict[str, Edition] = {}
        self.enrolled: set[tuple[int, int]] = set()
        self.users_by_email: dict[str, Any] = {}
        self.new_trainees: list[Any] = []  # accounts given the trainee role
        self.new_users: list[Any] = []
        self.new_profiles: list[TraineeProfile] = []
        self.planned: list[_Planned] = []

    def load_users(self) -> None:
        users = get_user_model().objects.all()
        self.users_by_email = {user.email.casefold(): user for user in users}

    def load_editions(self, *, codes: set[str], lock: bool) -> None:
        editions = Edition.objects.select_related("project", "course")
        self.editions = {edition.code.casefold(): edition for edition in editions}
        if lock:  # a commit; the dry run reads without taking any lock
            _lock_projects_of(
                editions=[self.editions[c] for c in codes if c in self.editions]
            )
        # Read under the locks: an enrolment committed meanwhile counts as there.
        self.enrolled = set(Enrolment.objects.values_list("trainee_id", "edition_id"))

    def remember_institution(self, institution: Institution) -> None:
        if institution.regon:
            self.institutions_by_regon[institution.regon] = institution
        key = (_normal(institution.name), _normal(institution.municipality))
        self.institutions_by_name[key] = institution

    def remember_trainee(self, trainee: TraineeProfile) -> None:
        self.trainees_by_email[trainee.user.email.casefold()] = trainee
        if trainee.pesel_hash:
            self.trainees_by_pesel[trainee.pesel_hash] = trainee

    def trainee_by_pesel(self, pesel: str) -> TraineeProfile | None:
        return self.trainees_by_pesel.get(keyed_hash(pesel)) if pesel else None

    def trainee_with_pesel(self, pesel: str) -> TraineeProfile | None:
        """The one place a PESEL is looked up: through its keyed hash."""
        return self.trainee_by_pesel(pesel)

    def trainee_with_email(self, email: str) -> TraineeProfile | None:
        return self.trainees_by_email.get(email.casefold()) if email else None

    def institution(
        self, *, regon: str, name: str, municipality: str
    ) -> Institution | None:
        if regon and regon in self.institutions_by_regon:
            return self.institutions_by_regon[regon]
        return self.institutions_by_name.get((_normal(name), _normal(municipality)))


def _lock_projects_of(*, editions: list[Edition]) -> None:
    """Lock, in the fixed order, every limit of the projects the file enrols into.

    The rows are enrolled one after another in one transaction. Locking each row's
    quota and edition as the row comes would take locks out of order (the second
    row's quota may sort before the first row's edition) and deadlock with a
    withdrawal that locks the same project in order; so all of them first.
    """
    project_ids = {edition.project_id for edition in editions}
    if not project_ids:
        return
    lock_quotas(
        quota_ids=Quota.objects.filter(project_id__in=project_ids).values_list(
            "pk", flat=True
        )
    )
    lock_editions(
        edition_ids=Edition.objects.filter(project_id__in=project_ids).values_list(
            "pk", flat=True
        )
    )


def _edition_codes(*, sheet: Sheet, positions: dict[str, int]) -> set[str]:
    index = positions.get("edition")
    if index is None:
        return set()
    return {cells[index].casefold() for cells in sheet.rows if index < len(cells)}


def _digits(value: str, *, lengths: tuple[int, ...]) -> str:
    """Excel stores these numbers as numbers and drops their leading zeros."""
    value = value.replace(" ", "").replace("-", "")
    if value.isdigit():
        for length in lengths:
            if len(value) < length:
                return value.zfill(length)
    return value


def _clean_regon(row: _Rows) -> str:
    value = _digits(row.get("regon"), lengths=(9, 14))
    if value and not stdnum_regon.is_valid(value):
        row.error("regon", _("This REGON number is not valid."))
    return value


def _clean_pesel(row: _Rows) -> str:
    value = _digits(row.get("pesel"), lengths=(11,))
    if value and not stdnum_pesel.is_valid(value):
        row.error("pesel", _("This PESEL number is not valid: check its 11 digits."))
    return value


def _clean_choice(
    row: _Rows, key: str, lookup: dict[str, str], *, required: bool = True
) -> str:
    value = row.required(key) if required else row.get(key)
    if value and _normal(value) not in lookup:
        row.error(
            key, _("“%(value)s” is not one of the allowed values.") % {"value": value}
        )
        return ""
    return lookup.get(_normal(value), "")


def _institution_row(row: _Rows, lookups: _Lookups) -> tuple[tuple, RowOutcome | None]:
    name = row.required("name")
    type_ = _clean_choice(row, "type", lookups.types)
    region_name = row.required("voivodeship")
    voivodeship = lookups.voivodeships.get(_normal(region_name))
    if region_name and voivodeship is None:
        row.error(
            "voivodeship",
            _("There is no voivodeship “%(value)s”.") % {"value": region_name},
        )
    county = row.required("county")
    municipality = row.required("municipality")
    regon = _clean_regon(row)
    key = ("regon", regon) if regon else ("name", _normal(name), _normal(municipality))
    if row.failed:
        return key, None
    existing = lookups.institution(regon=regon, name=name, municipality=municipality)
    if existing:
        return key, RowOutcome(row.number, "unchanged", str(existing))
    institution = Institution(
        name=name,
        type=type_,
        voivodeship=voivodeship,
        county=county,
        municipality=municipality,
        regon=regon,
    )
    institution.full_clean()
    institution.save()
    lookups.remember_institution(institution)
    return key, RowOutcome(row.number, "new", str(institution))


def _person(trainee: TraineeProfile) -> Person:
    return Person(
        trainee.first_name, trainee.last_name, trainee.user.email, trainee.pesel
    )


def _differing(existing: Person, incoming: Person) -> tuple[str, ...]:
    names = ("first_name", "last_name", "email")
    differing = [
        name
        for name in names
        if _normal(getattr(existing, name)) != _normal(getattr(incoming, name))
    ]
    if incoming.pesel and existing.pesel != incoming.pesel:
        differing.append("pesel")
    return tuple(differing)


def _existing_person_row(
    row: _Rows, *, existing: TraineeProfile, incoming: Person, chosen: str
) -> RowOutcome:
    """A row about a person already there: unchanged, or a conflict shown side by side.

    Two people are never merged silently: the file's names replace the platform's only
    when the coordinator chooses so for this row. An e-mail address is the owner's login
    and a PESEL once given identifies the person: an import changes neither.
    """
    current = _person(existing)
    differing = _differing(current, incoming)
    if not differing:
        return RowOutcome(row.number, "unchanged", existing.full_name)
    may_update = "email" not in differing and not (
        "pesel" in differing and current.pesel
    )
    options = (KEEP, UPDATE) if may_update else (KEEP,)
    conflict = Conflict(current, incoming, differing, options)
    if chosen not in options:
        return RowOutcome(row.number, "conflict", existing.full_name, conflict)
    conflict = Conflict(current, incoming, differing, options, chosen)
    if chosen == KEEP:
        return RowOutcome(row.number, "kept", existing.full_name, conflict)
    existing.first_name, existing.last_name = incoming.first_name, incoming.last_name
    existing.pesel = existing.pesel or incoming.pesel
    existing.full_clean(exclude=["user", "institution"])
    existing.save(update_fields=["first_name", "last_name", "pesel"])
    return RowOutcome(row.number, "updated", existing.full_name, conflict)


def _two_people_row(
    row: _Rows,
    *,
    by_pesel: TraineeProfile,
    by_email: TraineeProfile,
    incoming: Person,
    chosen: str,
) -> RowOutcome:
    """The PESEL is one person's and the e-mail another's: a conflict, never a merge.

    Both people are shown beside the row; the only choice is to leave them as they
    are and skip the row (correct the file to import it).
    """
    pesel_person, email_person = _person(by_pesel), _person(by_email)
    differing = tuple(
        name
        for name in PERSON_FIELDS
        if len(
            {
                _normal(getattr(person, name))
                for person in (pesel_person, email_person, incoming)
            }
        )
        > 1
    )
    summary = _("%(pesel_person)s (PESEL) or %(email_person)s (e-mail)") % {
        "pesel_person": by_pesel.full_name,
        "email_person": by_email.full_name,
    }
    conflict = Conflict(pesel_person, incoming, differing, (KEEP,), other=email_person)
    if chosen == KEEP:
        return RowOutcome(row.number, "kept", summary, replace(conflict, chosen=KEEP))
    return RowOutcome(row.number, "conflict", summary, conflict)


def _trainee_row(
    row: _Rows, lookups: _Lookups, chosen: str = ""
) -> tuple[tuple, RowOutcome | None]:
    email = row.required("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.error("email", _("This e-mail address is not valid."))
    first_name = row.required("first_name")
    last_name = row.required("last_name")
    gender = _clean_choice(row, "gender", lookups.genders)
    position = _clean_choice(row, "position", lookups.positions)
    education = _clean_choice(row, "education", lookups.education, required=False)
    pesel = _clean_pesel(row)
    regon = _clean_regon(row)
    name, municipality = row.required("institution"), row.required("municipality")
    institution = lookups.institution(regon=regon, name=name, municipality=municipality)
    if name and institution is None:
        row.error(
            "institution",
            _("There is no institution “%(value)s”: import the institutions first.")
            % {"value": name},
        )
    key = ("email", email.casefold())
    if row.failed:
        return key, None
    by_email, by_pesel = (
        lookups.trainee_with_email(email),
        lookups.trainee_with_pesel(pesel),
    )
    if by_email and by_pesel and by_email != by_pesel:
        return key, _two_people_row(
            row,
            by_pesel=by_pesel,
            by_email=by_email,
            incoming=Person(first_name, last_name, email, pesel),
            chosen=chosen,
        )
    existing = by_pesel or by_email
    if existing:
        incoming = Person(first_name, last_name, email, pesel)
        return key, _existing_person_row(
            row, existing=existing, incoming=incoming, chosen=chosen
        )
    user = lookups.users_by_email.get(email.casefold())
    if user is None:
        user = get_user_model()(username=email, email=email, first_name=first_name)
        user.last_name = last_name
        user.set_unusable_password()  # the trainee sets one through the reset link
        lookups.new_users.append(user)
    lookups.new_trainees.append(user)
    trainee = TraineeProfile(
        user=user,
        first_name=first_name,
        last_name=last_name,
        gender=gender,
        position=position,
        institution=institution,
        pesel=pesel,
        phone=row.get("phone"),
        education=education,
    )
    # In memory: the institution is one read with the file and the account is new or
    # has no profile; the PESEL is unique because no trainee has it (trainee_with_pesel
    # above). The rows are inserted together at the end (_trainees_create).
    trainee.full_clean(
        exclude=["user", "institution"],
        validate_unique=False,
        validate_constraints=False,
    )
    lookups.remember_trainee(trainee)
    lookups.new_profiles.append(trainee)
    return key, RowOutcome(row.number, "new", trainee.full_name)


def _trainees_create(lookups: _Lookups) -> None:
    """The new accounts, then their profiles, then their history: an insert each.

    The database's constraints still guard what was checked in memory: a PESEL or an
    account taken meanwhile by another transaction fails the whole file.
    """
    # PostgreSQL and SQLite return the new keys; each profile then takes its account's.
    get_user_model().objects.bulk_create(lookups.new_users)
    for trainee in lookups.new_profiles:
        # Its account's key now, keeping the account cached: the history's diff reads
        # it, and setting the key alone would make that a query for each row.
        trainee.user = trainee.user
    profiles = TraineeProfile.objects.bulk_create(lookups.new_profiles)
    history_record_created(profiles)


def _enrolment_row(
    row: _Rows, lookups: _Lookups, actor: Actor
) -> tuple[tuple, RowOutcome | None]:
    email, pesel = row.get("email"), _clean_pesel(row)
    if not email and not pesel:
        row.error("email", _("Give the trainee's e-mail address or PESEL."))
    trainee = lookups.trainees_by_email.get(email.casefold()) if email else None
    trainee = trainee or lookups.trainee_by_pesel(pesel)
    if (email or pesel) and trainee is None and not row.failed:
        row.error(
            "email" if email else "pesel",
            _("There is no trainee “%(value)s”: import the trainees first.")
            % {"value": email or pesel},
        )
    code = row.required("edition")
    edition = lookups.editions.get(code.casefold())
    if code and edition is None:
        row.error("edition", _("There is no edition “%(value)s”.") % {"value": code})
    if row.failed or trainee is None or edition is None:
        return ("row", row.number), None
    key = ("enrolment", trainee.pk, edition.pk)
    if (trainee.pk, edition.pk) in lookups.enrolled:
        return key, RowOutcome(row.number, "unchanged", f"{trainee} – {edition.code}")
    lookups.planned.append(_Planned(row=row, trainee=trainee, edition=edition))
    return key, None


@dataclass
class _Planned:
    row: "_Rows"
    trainee: TraineeProfile
    edition: Edition


def _enrol_planned(
    *, planned: list[_Planned], actor: Actor, result: ImportResult, commit: bool
) -> None:
    """Every valid row of the file enrolled at once, in the file's order.

    The same rules as `enrolment_create`, row by row in memory: eligibility from the
    projects' rules and quotas read once; seats and quota persons counted once from
    the rows (under the projects' locks, taken before the file was read, for a
    commit; without any lock for the dry run); each row confirmed (or pending) while
    its limits have room, waitlisted after. A commit then writes the enrolments in
    one insert and their history in another, and announces them after the commit.
    Any row in error writes nothing.
    """
    if not planned or result.errors:  # all or nothing: a row in error writes none
        return
    at = timezone.now()
    projects = {p.edition.project_id: p.edition.project for p in planned}
    if commit:
        for project in projects.values():
            if project.requires_approval:  # as enrolment_create: stale holds first
                enrolments_expire(project=project, now=at)
    cache = EligibilityCache()
    checked: list[tuple[_Planned, Quota | None]] = []
    for item in planned:
        problems, quota = eligibility_with_quota(
            trainee=item.trainee, edition=item.edition, at=at, cache=cache
        )
        if problems:
            item.row.error("edition", " ".join(problems))
        else:
            checked.append((item, quota))
    if result.errors:
        return
    edition_ids = {item.edition.pk for item in planned}
    quota_ids = {quota.pk for _, quota in checked if quota is not None}
    # Read after the locks: the limits as they are now, not as the file found them.
    capacity = dict(
        Edition.objects.filter(pk__in=edition_ids).values_list("pk", "capacity")
    )
    sizes = dict(Quota.objects.filter(pk__in=quota_ids).values_list("pk", "size"))
    for item, quota in checked:
        item.edition.capacity = capacity[item.edition.pk]
        if quota is not None:
            quota.size = sizes[quota.pk]
    tally = _Tally(edition_ids=edition_ids, quota_ids=quota_ids)
    held = {pk: _held_status(project) for pk, project in projects.items()}
    enrolments = []
    for item, quota in checked:
        trainee, edition = item.trainee, item.edition
        if tally.fits(edition=edition, quota=quota, trainee_id=trainee.pk):
            status, hold_until = held[edition.project_id]
            tally.take(
                edition_id=edition.pk,
                quota_id=quota.pk if quota else None,
                trainee_id=trainee.pk,
            )
        else:
            status, hold_until = EnrolmentStatus.WAITLISTED, None
        enrolments.append(
            Enrolment(
                trainee=trainee,
                edition=edition,
                quota=quota,
                voivodeship_id=trainee.institution.voivodeship_id,
                status=status,
                hold_until=hold_until,
            )
        )
        result.rows.append(
            RowOutcome(item.row.number, status, f"{trainee} – {edition.code}")
        )
    if not commit:
        return
    created = Enrolment.objects.bulk_create(enrolments)
    user = actor_user(actor)
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(enrolment=e, from_status="", to_status=e.status, actor=user)
        for e in created
    )

    def announce() -> None:
        # Every change announced as `enrolment_create` announces it; their e-mails
        # queued as one task, not one row of the queue for each enrolment.
        with enrolment_emails_coalesced():
            for enrolment in created:
                enrolment_status_changed.send(
                    sender=Enrolment, enrolment=enrolment, previous="", actor=actor
                )

    on_commit_keeping_address(announce)
    _announce_seats(edition_ids)


def _process(
    *,
    kind: str,
    sheet: Sheet,
    actor: Actor,
    result: ImportResult,
    commit: bool,
    choices: dict[int, str],
) -> None:
    positions = _map_columns(kind=kind, sheet=sheet, result=result)
    if result.errors:
        return
    lookups = _Lookups()
    if kind == "trainees":
        lookups.load_users()
    if kind == "enrolments":
        lookups.load_editions(
            codes=_edition_codes(sheet=sheet, positions=positions), lock=commit
        )
    seen: dict[tuple, int] = {}
    for index, cells in enumerate(sheet.rows):
        if not any(cells):
            continue
        row = _Rows(
            number=index + 2, cells=cells, positions=positions, result=result, kind=kind
        )
        try:
            if kind == "institutions":
                key, outcome = _institution_row(row, lookups)
            elif kind == "trainees":
                key, outcome = _trainee_row(
                    row, lookups, chosen=choices.get(row.number, "")
                )
            else:
                key, outcome = _enrolment_row(row, lookups, actor)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    row.error(field_name, message)
            continue
        if key in seen and not row.failed:
            result.errors.append(
                RowError(
                    row=row.number,
                    column="",
                    message=_("This row repeats row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen.setdefault(key, row.number)
        if outcome:
            result.rows.append(outcome)
    if kind == "enrolments":
        _enrol_planned(
            planned=lookups.planned, actor=actor, result=result, commit=commit
        )
        result.rows.sort(key=lambda outcome: outcome.row)
    if result.errors:
        return  # all or nothing: nothing is written (the transaction rolls back)
    if lookups.new_profiles:
        _trainees_create(lookups)
    if lookups.new_trainees:
        # One insert for the whole file rather than one per row.
        Group.objects.get(name=roles.TRAINEE).user_set.add(*lookups.new_trainees)


def import_run(
    *,
    kind: str,
    content: bytes,
    actor: Actor = None,
    commit: bool,
    choices: dict[int, str] | None = None,
) -> ImportResult:
    """Read and apply one file; keep the changes only if committing and nothing failed.

    `choices`: for each row in conflict (by its number), KEEP or UPDATE; a commit with
    a conflict nobody chose for imports nothing.
    """
    result = ImportResult(kind=kind)
    try:
        sheet = sheet_read(content=content)
    except ImportFileError as error:
        result.errors.append(RowError(row=0, column="", message=str(error)))
        return result
    try:
        with locking_transaction():
            _process(
                kind=kind,
                sheet=sheet,
                actor=actor,
                result=result,
                choices=choices or {},
                commit=commit,
            )
            if commit:
                for number in result.unresolved:
                    result.errors.append(
                        RowError(
                            row=number,
                            column="",
                            message=_(
                                "This row's person is already on the platform with "
                                "other data: choose what to do with it."
                            ),
                        )
                    )
            if result.errors or not commit:
                raise _RollBack
    except _RollBack:
        return result
    except EnrolmentError as error:  # the limits stayed locked by others too long
        result.errors.append(RowError(row=0, column="", message=str(error)))
        return result
    result.committed = True
    return result
