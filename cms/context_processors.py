from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site
from wagtail.permission_policies.pages import PagePermissionPolicy

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
        "nav_pages": root.get_children().live().in_menu(),
        # Project information and the accessibility statement: linked from every page.
        "footer_pages": root.get_children()
        .live()
        .type(ProjectInformationPage, AccessibilityStatementPage),
    }


def seat(request: HttpRequest) -> dict:
    """Who is looking, for the menu: trainee pages, "Eksport danych", the userbar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"seat": None, "edits_pages": False}

    def edits_pages() -> bool:
        return PagePermissionPolicy().user_has_any_permission(
            user, ["add", "change", "publish"]
        )

    return {
        "seat": SimpleLazyObject(lambda: seat_of(user=user)),
        "edits_pages": edits_pages,
    }
