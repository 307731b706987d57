from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import GroupPagePermission, Site

from courses.prepared import Prepared
from courses.selectors import seat_of

from .models import AccessibilityStatementPage, ProjectInformationPage
from .page_cache import site_version


def site_navigation(request: HttpRequest) -> dict:
    """The home page and its top-level children for the header menu.

    `site_version`: the version of the site's content in the keys of the cached
    fragments (cms/page_cache.py), read from the cache only if a template uses it.
    """
    version = SimpleLazyObject(site_version)
    site = Site.find_for_request(request)
    if site is None:
        return {
            "nav_root": None,
            "nav_pages": [],
            "footer_pages": [],
            "site_version": version,
        }
    root = site.root_page
    return {
        "site_version": version,
        "nav_root": root,
        # specific(): the menu shows a page's English title (EnglishTitle) in English.
        "nav_pages": root.get_children().live().in_menu().specific(),
        # Project information and the accessibility statement: linked from every page.
        "footer_pages": root.get_children()
        .live()
        .type(ProjectInformationPage, AccessibilityStatementPage)
        .specific(),
    }


# Asked on every signed-in page (the userbar): Wagtail's PagePermissionPolicy reads
# every page permission of the person's groups with their pages; one compiled EXISTS
# answers the same for the three actions (tests/cms/test_seat_navigation.py).
_EDITS = ("add_page", "change_page", "publish_page")
_edits_pages = Prepared(
    lambda user_id: GroupPagePermission.objects.filter(
        group__user__id=user_id, permission__codename__in=_EDITS
    ).values_list("pk")[:1],
    "user_id",
)


def user_edits_pages(user) -> bool:
    """PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])."""
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return bool(_edits_pages(user_id=user.pk))


def seat(request: HttpRequest) -> dict:
    """Who is looking, for the menu: trainee pages, "Eksport danych", the userbar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"seat": None, "edits_pages": False}

    def edits_pages() -> bool:
        return user_edits_pages(user)

    return {
        "seat": SimpleLazyObject(lambda: seat_of(user=user)),
        "edits_pages": edits_pages,
    }
