from django.http import HttpRequest
from wagtail.models import Site

from .models import AccessibilityStatementPage, ProjectInformationPage


def site_navigation(request: HttpRequest) -> dict:
    """The home page and its top-level children for the header menu."""
    site = Site.find_for_request(request)
    if site is None:
        return {"nav_root": None, "nav_pages": [], "footer_pages": []}
    root = site.root_page
    return {
        "nav_root": root,
        "nav_pages": root.get_children().live().in_menu(),
        # Project information and the accessibility statement: linked from every page.
        "footer_pages": root.get_children()
        .live()
        .type(ProjectInformationPage, AccessibilityStatementPage),
    }
