"""Trainee profiles and the institutions they work at.

Who may change an institution's data: an institution is identified by its REGON, or by
its name in its municipality and voivodeship; its other details (type, county, REGON)
belong to everyone who works there. So a trainee's edit
- of an institution only they work at is saved at once (it is theirs);
- of an institution others share is saved as a proposal (`InstitutionChange`) that a
  coordinator confirms or rejects, and the trainee is told so, never "saved";
- that names another institution (another name or place) moves them there, a new
  institution being created when there is none.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roles
from ..errors import RuleError
from ..models import Institution, InstitutionChange, TraineeProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ProfileSaved:
    profile: TraineeProfile
    # The proposal waiting for a coordinator when the institution is shared; else None.
    institution_change: InstitutionChange | None = None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in data.items()
        if name in InstitutionChange.FIELDS
    }


def institution_find(*, data: dict[str, Any]) -> Institution | None:
    """The institution these data name: the same REGON, or the same name and place."""
    data = _clean(data)
    if data.get("regon"):
        existing = Institution.objects.filter(regon=data["regon"]).first()
        if existing:
            return existing
    return Institution.objects.filter(
        name__iexact=data["name"],
        municipality__iexact=data["municipality"],
        voivodeship=data["voivodeship"],
    ).first()


def institution_differences(
    *, institution: Institution, data: dict[str, Any]
) -> dict[str, Any]:
    """The fields these data would change; a REGON left empty changes nothing."""
    data = _clean(data)
    return {
        name: value
        for name, value in data.items()
        if getattr(institution, name) != value and not (name == "regon" and not value)
    }


def institution_get_or_create(*, data: dict[str, Any]) -> Institution:
    """The institution these data name, created when there is none (imports, demo)."""
    existing = institution_find(data=data)
    if existing:
        return existing
    institution = Institution(**_clean(data))
    institution.full_clean()
    institution.save()
    return institution


def _shared(institution: Institution, *, profile: TraineeProfile) -> bool:
    others = institution.trainees.all()
    if profile.pk:
        others = others.exclude(pk=profile.pk)
    return others.exists()


def _institution_for(
    *, profile: TraineeProfile, data: dict[str, Any]
) -> tuple[Institution, dict[str, Any]]:
    """The institution the profile will point to, and the changes left to propose."""
    target = institution_find(data=data)
    current = profile.institution if profile.institution_id else None
    if target is None and current is not None and not _shared(current, profile=profile):
        target = current  # their own institution: a correction or a move, theirs alone
    if target is None:
        return institution_get_or_create(data=data), {}
    changes = institution_differences(institution=target, data=data)
    if changes and not _shared(target, profile=profile):
        for name, value in changes.items():
            setattr(target, name, value)
        target.full_clean()
        target.save()
        return target, {}
    return target, changes


def _propose(
    *, institution: Institution, profile: TraineeProfile, data: dict[str, Any]
) -> InstitutionChange:
    """One pending proposal per trainee and institution: a new edit replaces it."""
    values = {name: getattr(institution, name) for name in InstitutionChange.FIELDS}
    values.update(institution_differences(institution=institution, data=data))
    change = (
        InstitutionChange.objects.select_for_update()
        .filter(
            institution=institution,
            proposed_by=profile,
            status=InstitutionChange.Status.PENDING,
        )
        .first()
    ) or InstitutionChange(institution=institution, proposed_by=profile)
    for name, value in values.items():
        setattr(change, name, value)
    change.full_clean(validate_unique=False, validate_constraints=False)
    change.save()
    return change


def trainee_profile_save(
    *,
    user: "User | AnonymousUser",
    person: dict[str, Any],
    institution: dict[str, Any],
) -> ProfileSaved:
    """Create or update the trainee's profile; the account becomes a trainee's.

    The institution data follow the rule of this module: saved when the institution is
    the trainee's alone, proposed to a coordinator when others share it.
    """
    if isinstance(user, AnonymousUser):
        raise ValueError("A trainee profile belongs to an account: log in first.")
    with transaction.atomic():
        profile = TraineeProfile.objects.filter(user=user).first() or TraineeProfile(
            user=user
        )
        for field, value in person.items():
            setattr(profile, field, value)
        target, changes = _institution_for(profile=profile, data=institution)
        profile.institution = target
        profile.full_clean()
        profile.save()
        proposal = None
        if changes:
            proposal = _propose(institution=target, profile=profile, data=institution)
        else:
            # Nothing left to propose: an older proposal of theirs is out of date.
            InstitutionChange.objects.filter(
                proposed_by=profile, status=InstitutionChange.Status.PENDING
            ).delete()
        user.groups.add(Group.objects.get(name=roles.TRAINEE))
        if not user.first_name:
            user.first_name, user.last_name = profile.first_name, profile.last_name
            user.save(update_fields=["first_name", "last_name"])
    return ProfileSaved(profile=profile, institution_change=proposal)


def institution_change_pending(
    *, trainee: TraineeProfile | None
) -> InstitutionChange | None:
    """The trainee's proposal still waiting for a coordinator, if any."""
    if trainee is None:
        return None
    return (
        InstitutionChange.objects.filter(
            proposed_by=trainee, status=InstitutionChange.Status.PENDING
        )
        .select_related("institution", "voivodeship")
        .first()
    )


def _decide(
    *, change: InstitutionChange, actor: "User", status: InstitutionChange.Status
) -> InstitutionChange:
    change.status = status
    change.decided_at = timezone.now()
    change.decided_by = actor
    change.save(update_fields=["status", "decided_at", "decided_by"])
    return change


def institution_change_confirm(
    *, change: InstitutionChange, actor: "User"
) -> InstitutionChange:
    """Apply a trainee's proposal to the institution, for everyone who works there."""
    with transaction.atomic():
        change = InstitutionChange.objects.select_for_update().get(pk=change.pk)
        if change.status != InstitutionChange.Status.PENDING:
            raise RuleError(_("This change has been decided already."))
        institution = Institution.objects.select_for_update().get(
            pk=change.institution_id
        )
        for name in InstitutionChange.FIELDS:
            setattr(institution, name, getattr(change, name))
        holder = (
            Institution.objects.filter(regon=change.regon).exclude(pk=institution.pk)
            if change.regon
            else Institution.objects.none()
        ).first()
        if holder:
            raise RuleError(
                _("REGON %(regon)s is already another institution's: %(other)s.")
                % {"regon": change.regon, "other": holder}
            )
        try:
            institution.full_clean()
        except ValidationError as error:
            raise RuleError(
                _("The change cannot be applied: %(errors)s")
                % {"errors": " ".join(error.messages)}
            ) from error
        institution.save()
        return _decide(
            change=change, actor=actor, status=InstitutionChange.Status.CONFIRMED
        )


def institution_change_reject(
    *, change: InstitutionChange, actor: "User"
) -> InstitutionChange:
    """Leave the institution as it is; the proposal is kept, marked rejected."""
    with transaction.atomic():
        change = InstitutionChange.objects.select_for_update().get(pk=change.pk)
        if change.status != InstitutionChange.Status.PENDING:
            raise RuleError(_("This change has been decided already."))
        return _decide(
            change=change, actor=actor, status=InstitutionChange.Status.REJECTED
        )
