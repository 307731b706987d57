"""Django's model backend, reading a person's permissions with compiled statements.

Every signed-in page asks permissions (the menu's "Moje grupy", the userbar): Django's
backend builds two permission querysets (the person's own, their groups') per request.
Here the same two reads, with the same answers, run as statements compiled once per
process (courses.prepared), prepared once per PostgreSQL connection.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from courses.prepared import Prepared


def _permissions_by(lookup: str) -> Prepared:
    """The person's permissions reached through `lookup`, as Django's backend reads them."""
    return Prepared(
        lambda user_id: (
            Permission.objects.filter(**{lookup: user_id})
            .values_list("content_type__app_label", "codename")
            .order_by()
        ),
        "user_id",
    )


_OWN = _permissions_by("user__id")
_FROM_GROUPS = _permissions_by("group__user__id")


class PermissionsBackend(ModelBackend):
    """ModelBackend with its two permission reads compiled (superusers: Django's)."""

    def _get_permissions(self, user_obj, obj, from_name):
        if (
            not user_obj.is_active
            or user_obj.is_anonymous
            or obj is not None
            or user_obj.is_superuser
        ):
            return super()._get_permissions(user_obj, obj, from_name)
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            query = _OWN if from_name == "user" else _FROM_GROUPS
            rows = query(user_id=user_obj.pk)
            setattr(user_obj, cache_name, {f"{app}.{name}" for app, name in rows})
        return getattr(user_obj, cache_name)
