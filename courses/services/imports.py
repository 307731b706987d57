"""Bulk import for coordinators: institutions, trainees and enrolments.

A dry run and a commit do the same work; the dry run rolls it back. So the preview
shows exactly what the commit will do, waitlisting included, and any error in any
row rolls back the whole file: all or nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.pl import pesel as stdnum_pesel
from stdnum.pl import regon as stdnum_regon

from .. import roles
from ..crypto import keyed_hash
from ..errors import EnrolmentError
from ..imports import ImportFileError, Sheet, sheet_read
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
from ..signals import enrolment_status_changed
from .actors import Actor, actor_user
from .eligibility import EligibilityCache, eligibility_with_quota
from .enrolment import _announce_seats, _held_status, _Tally, enrolments_expire
from .locking import lock_editions, lock_quotas, locking_transaction


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    required: bool = True


COLUMNS = {
    "institutions": [
        Column("name", gettext_lazy("Name")),
        Column("type", gettext_lazy("Type")),
        Column("voivodeship", gettext_lazy("Voivodeship")),
        Column("county", gettext_lazy("County")),
        Column("municipality", gettext_lazy("Municipality")),
        Column("regon", gettext_lazy("REGON"), required=False),
    ],
    "trainees": [
        Column("email", gettext_lazy("E-mail")),
        Column("first_name", gettext_lazy("First name")),
        Column("last_name", gettext_lazy("Last name")),
        Column("gender", gettext_lazy("Gender")),
        Column("position", gettext_lazy("Position")),
        Column("institution", gettext_lazy("Institution")),
        Column("municipality", gettext_lazy("Municipality")),
        Column("regon", gettext_lazy("REGON"), required=False),
        Column("pesel", gettext_lazy("PESEL"), required=False),
        Column("phone", gettext_lazy("Phone"), required=False),
        Column("education", gettext_lazy("Education level"), required=False),
    ],
    "enrolments": [
        Column("email", gettext_lazy("E-mail"), required=False),
        Column("pesel", gettext_lazy("PESEL"), required=False),
        Column("edition", gettext_lazy("Edition")),
    ],
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


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: str  # "new", "unchanged", or an enrolment status
    summary: str


@dataclass
class ImportResult:
    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.rows if outcome.action == action)


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run or a file with errors."""


def _normal(text: object) -> str:
    return " ".join(str(text).replace("*", "").split()).casefold()


def _in_both_languages(label: object) -> set[str]:
    names = set()
    for language in ("pl", "en"):
        with translation.override(language):
            names.add(_normal(label))
    return names


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:
        lookup[_normal(code)] = code
        for name in _in_both_languages(label):
            lookup[name] = code
    return lookup


def _map_columns(*, kind: str, sheet: Sheet, result: ImportResult) -> dict[str, int]:
    """Which column of the file holds each field; missing required ones are errors."""
    positions = {}
    headers = [_normal(header) for header in sheet.headers]
    for column in COLUMNS[kind]:
        names = _in_both_languages(column.label) | {column.key}
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
        self.labels = {column.key: str(column.label) for column in COLUMNS[kind]}
        self.failed = False

    def get(self, key: str) -> str:
        index = self.positions.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.result.errors.append(
            RowError(row=self.number, column=self.labels.get(key, key), message=message)
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
        self.new_trainees: list[Any] = []
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


def _trainee_row(row: _Rows, lookups: _Lookups) -> tuple[tuple, RowOutcome | None]:
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
    existing = lookups.trainees_by_email.get(email.casefold()) or (
        lookups.trainee_by_pesel(pesel)
    )
    if existing:
        return key, RowOutcome(row.number, "unchanged", existing.full_name)
    user = lookups.users_by_email.get(email.casefold())
    if user is None:
        user = get_user_model()(username=email, email=email, first_name=first_name)
        user.last_name = last_name
        user.set_unusable_password()
        user.save()
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
    trainee.full_clean()
    trainee.save()
    lookups.remember_trainee(trainee)
    return key, RowOutcome(row.number, "new", trainee.full_name)


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
        for enrolment in created:
            enrolment_status_changed.send(
                sender=Enrolment, enrolment=enrolment, previous="", actor=actor
            )

    transaction.on_commit(announce)
    _announce_seats(edition_ids)


def _process(
    *, kind: str, sheet: Sheet, actor: Actor, result: ImportResult, commit: bool
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
                key, outcome = _trainee_row(row, lookups)
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
    if lookups.new_trainees:
        # One insert for the whole file rather than one per row.
        Group.objects.get(name=roles.TRAINEE).user_set.add(*lookups.new_trainees)


def import_run(
    *, kind: str, content: bytes, actor: Actor = None, commit: bool
) -> ImportResult:
    """Read and apply one file; keep the changes only if committing and nothing failed."""
    result = ImportResult(kind=kind)
    try:
        sheet = sheet_read(content=content)
    except ImportFileError as error:
        result.errors.append(RowError(row=0, column="", message=str(error)))
        return result
    try:
        with locking_transaction():
            _process(kind=kind, sheet=sheet, actor=actor, result=result, commit=commit)
            if result.errors or not commit:
                raise _RollBack
    except _RollBack:
        return result
    except EnrolmentError as error:  # the limits stayed locked by others too long
        result.errors.append(RowError(row=0, column="", message=str(error)))
        return result
    result.committed = True
    return result
