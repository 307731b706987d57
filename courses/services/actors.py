"""Who acts on a service: a signed-in user, or nobody (cron, an import, a promotion)."""

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Views pass request.user, which may be anonymous; services record nobody then.
Actor: TypeAlias = "User | AnonymousUser | None"


def actor_user(actor: Actor) -> "User | None":
    """The user to record as the one who acted, or None."""
    if actor is None or isinstance(actor, AnonymousUser):
        return None
    return actor if actor.is_authenticated else None
