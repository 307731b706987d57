"""The roles are kept exactly as courses/roles.py and the plugged-in apps declare them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from courses import roles
from courses.roles import ROLE_PERMISSIONS_HOOK, RoleGrant

pytestmark = pytest.mark.django_db


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _held() -> dict[str, tuple[set[str], set[str], set[str]]]:
    """What each role's group holds, read back: permissions, pages, collections."""
    held = {}
    for group in Group.objects.filter(name__in=roles.LABELS):
        pages = GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission"
        )
        collections = GroupCollectionPermission.objects.filter(
            group=group
        ).select_related("collection", "permission__content_type")
        held[group.name] = (
            {
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")
            },
            {f"{row.page.depth}:{row.permission.codename}" for row in pages},
            {
                f"{row.collection.depth}:{row.permission.content_type.app_label}."
                f"{row.permission.codename}"
                for row in collections
            },
        )
    return held


def _declared() -> dict[str, tuple[set[str], set[str], set[str]]]:
    """The same shape from the declaration: page and collection rights on the roots."""
    return {
        name: (
            set(grant.permissions),
            {f"1:{codename}" for codename in grant.page_permissions},
            {f"1:{dotted}" for dotted in grant.collection_permissions},
        )
        for name, grant in roles.declared_roles().items()
    }


def test_a_migrated_database_holds_exactly_the_declared_roles():
    # The test database was made by `migrate`, which ends with the roles' sync.
    assert _held() == _declared()


def test_the_declaration_keeps_what_the_roles_could_do_before():
    declared = roles.declared_roles()
    assert declared[roles.TRAINEE] == RoleGrant()
    assert declared[roles.TRAINER] == RoleGrant(
        permissions={
            "wagtailadmin.access_admin",
            "courses.view_trainerprofile",
            "courses.view_attendance",
        }
    )
    # Partners' clerks have no Wagtail admin at all (issue 11).
    assert declared[roles.PARTNER] == RoleGrant()
    assert declared[roles.ADVISER] == RoleGrant(
        permissions={"courses.view_attendance", "courses.view_advisoryrequest"}
    )
    coordinator = declared[roles.COORDINATOR]
    advisory = {
        *roles.model_permissions("courses", "advisoryoffer"),
        "courses.view_advisoryrequest",
        "courses.manage_advisory",
        *roles.model_permissions("courses", "call", "callplaces", "criterion"),
        "courses.view_callapplication",
        "courses.manage_calls",
    }
    privacy = {
        "courses.view_accessevent",
        "courses.reveal_pesel",
        *roles.model_permissions(
            "courses", "informationclause", "consenttext", actions=("add", "view")
        ),
        *roles.model_permissions(
            "courses", "consentpurpose", actions=("add", "change", "view")
        ),
        "courses.view_consentrecord",
        "courses.view_erasurerequest",
    }
    # Coordinators place voivodeships in macroregions (issue 13).
    regions = {
        "courses.change_voivodeship",
        *roles.model_permissions(
            "courses", "macroregion", actions=("add", "change", "view")
        ),
    }
    assert advisory <= coordinator.permissions
    assert privacy <= coordinator.permissions  # issue 11
    assert regions <= coordinator.permissions
    # The evaluation plug-in grants its own part through the hook.
    evaluation = {p for p in coordinator.permissions if p.startswith("evaluation.")}
    assert (
        len(coordinator.permissions - advisory - evaluation - privacy - regions) == 74
    )  # + view/change of the institution changes, the authorised institutions (4),
    # the certificate templates (add/change/view/delete) and the change history (view)
    assert {
        "certificates.add_certificatelayout",
        "certificates.change_certificatelayout",
        "certificates.view_certificatelayout",
        "certificates.delete_certificatelayout",
        "auditlog.view_logentry",
    } <= coordinator.permissions
    assert evaluation == {
        f"evaluation.{action}_{model}"
        for model in ("knowledgetest", "survey", "projectevaluation")
        for action in ("add", "change", "delete", "view")
    } | {"evaluation.view_surveyresponse"}
    assert coordinator.page_permissions == {
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    }
    assert len(coordinator.collection_permissions) == 8


def test_plugged_in_apps_add_their_part_through_the_hook():
    own = roles.COURSES_GRANTS[roles.COORDINATOR]
    assert not any(
        name.startswith(("certificates.", "wagtailredirects."))
        for name in own.permissions
    )
    assert not own.page_permissions and not own.collection_permissions
    coordinator = roles.declared_roles()[roles.COORDINATOR]
    assert "certificates.add_certificate" in coordinator.permissions  # certificates
    assert "wagtailredirects.add_redirect" in coordinator.permissions  # cms
    assert "publish_page" in coordinator.page_permissions  # cms


def test_syncing_twice_gives_the_same_permissions():
    call_command("sync_roles", verbosity=0)
    first = _held()
    output = StringIO()
    call_command("sync_roles", stdout=output)
    assert _held() == first == _declared()
    assert output.getvalue().splitlines() == [
        f"{name}: 0 granted, 0 taken away" for name in roles.LABELS
    ]


def test_what_was_removed_by_hand_comes_back():
    coordinator = Group.objects.get(name=roles.COORDINATOR)
    coordinator.permissions.remove(_permission("courses.change_enrolment"))
    GroupPagePermission.objects.filter(
        group=coordinator, permission__codename="publish_page"
    ).delete()
    GroupCollectionPermission.objects.filter(
        group=coordinator, permission__codename="delete_document"
    ).delete()
    Group.objects.filter(name=roles.TRAINER).delete()

    output = StringIO()
    call_command("sync_roles", stdout=output)

    assert _held() == _declared()
    assert f"{roles.COORDINATOR}: 3 granted, 0 taken away" in output.getvalue()
    assert f"{roles.TRAINER}: 3 granted, 0 taken away" in output.getvalue()


def test_what_was_added_by_hand_goes():
    trainer = Group.objects.get(name=roles.TRAINER)
    trainer.permissions.add(_permission("courses.change_enrolment"))
    GroupCollectionPermission.objects.create(
        group=trainer,
        collection=Collection.get_first_root_node(),
        permission=_permission("wagtaildocs.add_document"),
    )
    # A declared page permission, but below the root: not what the role declares.
    coordinator = Group.objects.get(name=roles.COORDINATOR)
    GroupPagePermission.objects.create(
        group=coordinator,
        page=Page.objects.get(depth=2),
        permission=_permission("wagtailcore.add_page"),
    )

    call_command("sync_roles", verbosity=0)

    assert _held() == _declared()


def test_other_groups_are_left_alone():
    editors = Group.objects.get(name="Editors")
    course_group = Group.objects.create(name="Trenerzy: Kurs")
    course_group.permissions.add(_permission("courses.change_enrolment"))
    GroupPagePermission.objects.create(
        group=course_group,
        page=Page.objects.get(depth=2),
        permission=_permission("wagtailcore.change_page"),
    )
    before = (
        set(editors.permissions.all()),
        set(GroupPagePermission.objects.exclude(group__name__in=roles.LABELS)),
    )

    call_command("sync_roles", verbosity=0)

    after = (
        set(editors.permissions.all()),
        set(GroupPagePermission.objects.exclude(group__name__in=roles.LABELS)),
    )
    assert after == before
    assert set(course_group.permissions.all()) == {
        _permission("courses.change_enrolment")
    }


def test_a_grant_to_an_unknown_role_is_refused():
    with hooks.register_temporarily(
        ROLE_PERMISSIONS_HOOK, lambda: {"Gość": RoleGrant(permissions={"a.b"})}
    ):
        with pytest.raises(ImproperlyConfigured, match="Gość"):
            roles.declared_roles()


def test_a_permission_that_does_not_exist_is_refused_and_nothing_changes():
    before = _held()
    with hooks.register_temporarily(
        ROLE_PERMISSIONS_HOOK,
        lambda: {roles.TRAINER: RoleGrant(permissions={"courses.fly_edition"})},
    ):
        with pytest.raises(LookupError, match="courses.fly_edition"):
            call_command("sync_roles", verbosity=0)
    assert _held() == before


@pytest.mark.django_db
def test_partners_clerks_never_enter_the_wagtail_admin(client):
    from courses.models import PartnerOrganisation
    from tests.factories import UserFactory

    in_group = UserFactory(role=roles.PARTNER)
    on_staff = UserFactory(role=roles.PARTNER)
    PartnerOrganisation.objects.create(name="OWES Opole").staff.add(on_staff)
    for clerk in (in_group, on_staff):
        client.force_login(clerk)
        assert not clerk.has_perm("wagtailadmin.access_admin")
        for path in ("/admin/", "/admin/pages/", "/admin/partners/exports/"):
            response = client.get(path)
            assert response.status_code in (302, 403), path
            if response.status_code == 302:
                assert not response.url.startswith("/admin/"), path
        account = client.get("/konto/").content.decode()
        assert 'href="/admin/"' not in account
