"""The four roles of the platform, held as Django groups created by a migration."""

from django.utils.translation import gettext_lazy as _

TRAINEE = "Uczestnik"
TRAINER = "Trener"
PARTNER = "Partner"
COORDINATOR = "Koordynator"

LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    PARTNER: _("Partner"),
    COORDINATOR: _("Coordinator"),
}


def roles_of(user) -> list[str]:
    """The role labels of a user, in the order above, for display."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [str(label) for group, label in LABELS.items() if group in names]
