"""Wagtail's page routing for a path, remembered while the site's content is unchanged.

Wagtail finds the page of a path by walking the tree from the site's root: for each
level the child with the slug, then its specific page, two queries a level (four for a
course page, about a fifth of a signed-in course page's CPU). Here the page a path led
to (its content type and id) is kept in the cache under the site's content version
(cms.page_cache): any page published, unpublished, moved or deleted, any site saved,
sets a new version, and the next request walks the tree again. A path is then one cache
read and one query for the live page itself, compiled once per page type.

What is kept is only where a path leads, the same for everyone: Wagtail's own view
still serves the page, with its hooks (view restrictions, privacy) run on every
request as before. Only plain routes are kept: a page whose route takes arguments
(RoutablePageMixin) or that any page on the way routes in its own way is walked every
time, so a route that depends on who asks is never taken from the cache.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from courses.prepared import Prepared

from .page_cache import FRAGMENT_TTL, site_version

_live_pages: dict[type[Page], Prepared] = {}


def _live_page(model: type[Page], pk: int) -> Page | None:
    prepared = _live_pages.get(model)
    if prepared is None:
        prepared = _live_pages[model] = Prepared(
            lambda pk: model._default_manager.filter(pk=pk, live=True), "pk"
        )
    found = prepared(pk=pk)
    return found[0] if found else None


def _key(site: Site, path: str, version: str) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"cms:route:{site.pk}:{get_language()}:{version}:{digest}"


def _plain(page: Page, *, root_id: int) -> bool:
    """Whether this page and each one above it up to the site's root route as Page does.

    Wagtail's walk leaves each page's parent on it (`_cached_parent_obj`); a chain that
    does not reach the root is not known to be plain.
    """
    current: Page | None = page
    while current is not None:
        if type(current).route is not Page.route:
            return False
        if current.pk == root_id:
            return True
        current = getattr(current, "_cached_parent_obj", None)
    return False


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    """Wagtail's Page.route_for_request, from the cache when the path was walked before."""
    site = Site.find_for_request(request)
    if site is None:
        return Page.route_for_request(request, path)
    key = _key(site, path, site_version())
    found = cache.get(key)
    if found is not None:
        content_type_id, pk = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = _live_page(model, pk) if model is not None else None
        if page is not None:
            request._wagtail_route_for_request = RouteResult(page)  # type: ignore[attr-defined]
            return request._wagtail_route_for_request  # type: ignore[attr-defined]
    result = Page.route_for_request(request, path)
    if result is not None:
        page, args, kwargs = result
        if (
            not args
            and not kwargs
            and page.live
            and _plain(page, root_id=site.root_page_id)
        ):
            cache.set(key, (page.content_type_id, page.pk), FRAGMENT_TTL)
    return result


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's serve view, its route found through `route_for_request`."""
    route_for_request(request, path)
    return wagtail_views.serve(request, path)
