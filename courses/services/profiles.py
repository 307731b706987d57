from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction

from .. import roles
from ..models import Institution, TraineeProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def institution_get_or_create(*, data: dict[str, Any]) -> Institution:
    """The same REGON, or the same name in the same municipality, is the same institution."""
    regon = data.get("regon", "")
    if regon:
        existing = Institution.objects.filter(regon=regon).first()
        if existing:
            return existing
    institution, _ = Institution.objects.get_or_create(
        name=data["name"].strip(),
        voivodeship=data["voivodeship"],
        municipality=data["municipality"].strip(),
        defaults={
            "type": data["type"],
            "county": data["county"].strip(),
            "regon": regon,
            "nip": data.get("nip", ""),
        },
    )
    return institution


def trainee_profile_save(
    *,
    user: "User | AnonymousUser",
    person: dict[str, Any],
    institution: dict[str, Any],
) -> TraineeProfile:
    """Create or update the trainee's profile; the account becomes a trainee's."""
    if isinstance(user, AnonymousUser):
        raise ValueError("A trainee profile belongs to an account: log in first.")
    with transaction.atomic():
        profile = TraineeProfile.objects.filter(user=user).first() or TraineeProfile(
            user=user
        )
        for field, value in person.items():
            setattr(profile, field, value)
        profile.institution = institution_get_or_create(data=institution)
        profile.full_clean()
        profile.save()
        user.groups.add(Group.objects.get(name=roles.TRAINEE))
        if not user.first_name:
            user.first_name, user.last_name = profile.first_name, profile.last_name
            user.save(update_fields=["first_name", "last_name"])
    return profile
