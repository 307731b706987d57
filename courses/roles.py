"""The four roles of the platform and what each may do: Django groups kept as declared.

courses declares what its own screens need (`COURSES_GRANTS`). An app that plugs in
adds its part through the Wagtail hook `courses_role_permissions`: a function that
returns `{role name: RoleGrant}`, e.g. in the app's `wagtail_hooks.py`:

    @hooks.register(ROLE_PERMISSIONS_HOOK)
    def library_permissions():
        return {COORDINATOR: RoleGrant(permissions={"library.view_book"})}

`roles_sync` (run by `manage.py sync_roles` and after every `migrate`) makes each
role's group hold exactly the union of what is declared: model permissions, page
permissions on the root page and collection permissions on the root collection. It
is idempotent; a permission removed by hand comes back, one added by hand goes. Other
groups (Wagtail's own, the per-course trainer groups of the site) are not touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

TRAINEE = "Uczestnik"
TRAINER = "Trener"
PARTNER = "Partner"
COORDINATOR = "Koordynator"
ADVISER = "Doradca"

LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    PARTNER: _("Partner"),
    COORDINATOR: _("Coordinator"),
    ADVISER: _("Adviser or coach"),
}

ROLE_PERMISSIONS_HOOK = "courses_role_permissions"


@dataclass(frozen=True)
class RoleGrant:
    """What a role may do, as permission names.

    `permissions` and `collection_permissions` are "app_label.codename";
    `page_permissions` are wagtailcore codenames ("publish_page"). Page and collection
    permissions hold on the root page and the root collection, i.e. everywhere.
    """

    permissions: AbstractSet[str] = frozenset()
    page_permissions: AbstractSet[str] = frozenset()
    collection_permissions: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        # Frozen all the way down: a grant handed out by a hook cannot change later.
        for name in ("permissions", "page_permissions", "collection_permissions"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))

    def __or__(self, other: RoleGrant) -> RoleGrant:
        return RoleGrant(
            permissions=self.permissions | other.permissions,
            page_permissions=self.page_permissions | other.page_permissions,
            collection_permissions=self.collection_permissions
            | other.collection_permissions,
        )


def model_permissions(
    app_label: str,
    *models: str,
    actions: Iterable[str] = ("add", "change", "delete", "view"),
) -> set[str]:
    """`app.add_model`, `app.change_model`, … for each model and action."""
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


COURSES_GRANTS: dict[str, RoleGrant] = {
    # Trainees use the site only.
    TRAINEE: RoleGrant(),
    # A trainer's rights stop at the editions they teach: the views check that.
    TRAINER: RoleGrant(
        permissions={
            "wagtailadmin.access_admin",
            "courses.view_trainerprofile",
            "courses.view_attendance",
        }
    ),
    # Partners' staff export through a page of the site that checks their
    # organisation's scope; they never enter the Wagtail admin.
    PARTNER: RoleGrant(),
    COORDINATOR: RoleGrant(
        permissions={
            "wagtailadmin.access_admin",
            *model_permissions(
                "courses",
                "project",
                "quota",
                "eligibilityrule",
                "authorisedinstitution",
                "course",
                "edition",
                "session",
                "institution",
                "traineeprofile",
                "trainerprofile",
                "completionrule",
                "partnerorganisation",
                "advisoryoffer",
                "call",
                "callplaces",
                "criterion",
            ),
            "courses.view_callapplication",
            "courses.manage_calls",
            "courses.view_advisoryrequest",
            "courses.manage_advisory",
            # Enrolments change only through the actions, which call the services.
            # Trainees' proposals for shared institutions: confirmed or rejected only.
            "courses.view_institutionchange",
            "courses.change_institutionchange",
            "courses.view_enrolment",
            "courses.change_enrolment",
            "courses.add_enrolment",  # imports
            "courses.view_voivodeship",
            "courses.change_voivodeship",
            "courses.view_macroregion",
            "courses.add_macroregion",
            "courses.change_macroregion",
            "courses.change_fundingsettings",
            "courses.view_attendance",
            "courses.manage_attendance",
            "courses.view_sessionsheet",
            "courses.view_exportlog",
            "courses.view_accessevent",
            "auditlog.view_logentry",  # the change history, beside the access log
            "courses.reveal_pesel",
            "courses.add_informationclause",
            "courses.view_informationclause",
            "courses.add_consentpurpose",
            "courses.change_consentpurpose",
            "courses.view_consentpurpose",
            "courses.add_consenttext",
            "courses.view_consenttext",
            "courses.view_consentrecord",
            "courses.view_erasurerequest",
        }
    ),
    # An adviser or coach keeps the record of the cases assigned to them ("Moje
    # doradztwo"): the views check the assignment, as for a trainer's groups.
    ADVISER: RoleGrant(
        permissions={"courses.view_attendance", "courses.view_advisoryrequest"}
    ),
}


def declared_roles() -> dict[str, RoleGrant]:
    """Every role with what courses and the apps plugged into it grant it."""
    roles = dict(COURSES_GRANTS)
    for contribute in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        grants: Mapping[str, RoleGrant] = contribute()
        for role, grant in grants.items():
            if role not in roles:
                raise ImproperlyConfigured(
                    f"{contribute.__module__}.{contribute.__name__} grants to an "
                    f"unknown role {role!r}; the roles are {sorted(roles)}."
                )
            roles[role] = roles[role] | grant
    return roles


@dataclass
class RoleChange:
    added: int = 0
    removed: int = 0


def _permissions(names: Iterable[str], *, using: str) -> list[Permission]:
    """The permission rows of "app_label.codename" names; all of them, or an error."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    if not wanted:
        return []
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(
        Permission.objects.using(using).filter(query).select_related("content_type")
    )
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        names_missing = sorted(".".join(pair) for pair in missing)
        raise LookupError(f"Permissions not found: {names_missing}")
    return found


def _sync_rows(
    model, *, group: Group, at: dict, wanted: list[Permission], using: str
) -> RoleChange:
    """The group's rows of `model` become exactly the wanted permissions `at` the root."""
    rows = model.objects.using(using).filter(group=group)
    stale = rows.exclude(permission__in=wanted, **at)  # elsewhere, or not wanted
    removed = stale.count()
    stale.delete()
    have = set(rows.filter(**at).values_list("permission_id", flat=True))
    missing = [p for p in wanted if p.pk not in have]
    for permission in missing:
        model.objects.using(using).create(group=group, permission=permission, **at)
    return RoleChange(added=len(missing), removed=removed)


def _sync_role(
    *, name: str, grant: RoleGrant, using: str, root_page, root_collection
) -> RoleChange:
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    group, _created = Group.objects.using(using).get_or_create(name=name)
    wanted = _permissions(grant.permissions, using=using)
    wanted_ids = {p.pk for p in wanted}
    have = set(group.permissions.values_list("pk", flat=True))
    group.permissions.set(wanted)
    change = RoleChange(added=len(wanted_ids - have), removed=len(have - wanted_ids))
    pages = _sync_rows(
        GroupPagePermission,
        group=group,
        at={"page": root_page},
        wanted=_permissions(
            {f"wagtailcore.{codename}" for codename in grant.page_permissions},
            using=using,
        ),
        using=using,
    )
    collections = _sync_rows(
        GroupCollectionPermission,
        group=group,
        at={"collection": root_collection},
        wanted=_permissions(grant.collection_permissions, using=using),
        using=using,
    )
    return RoleChange(
        added=change.added + pages.added + collections.added,
        removed=change.removed + pages.removed + collections.removed,
    )


def roles_sync(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, RoleChange]:
    """Make each role's group hold exactly its declared permissions; say what changed."""
    from wagtail.models import Collection, Page

    declared = declared_roles()
    with transaction.atomic(using=using):
        # Django creates permissions after `migrate`; make sure every app's exist now.
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0, using=using)
        root_page = Page.objects.using(using).get(depth=1)
        root_collection = Collection.objects.using(using).get(depth=1)
        return {
            name: _sync_role(
                name=name,
                grant=grant,
                using=using,
                root_page=root_page,
                root_collection=root_collection,
            )
            for name, grant in declared.items()
        }


def roles_sync_after_migrate(*, using: str, **kwargs) -> None:
    """post_migrate receiver: every migrated database has the roles as declared."""
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    needed = {
        model._meta.db_table
        for model in (Group, Permission, GroupPagePermission, GroupCollectionPermission)
    }
    if needed <= set(connections[using].introspection.table_names()):
        roles_sync(using=using)  # else: migrated back below the tables roles live in


def roles_of(user) -> list[str]:
    """The role labels of a user, in the order above, for display."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [str(label) for group, label in LABELS.items() if group in names]
