"""Seats of a published edition as JSON: what the live pages poll when websockets fail."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from ..broadcast import seats_payload
from ..models import Edition
from ..selectors import edition_seats

DEFAULT_POLL_SECONDS = 15


def poll_seconds() -> int:
    """How often a page without its websocket asks for the seats."""
    return int(getattr(settings, "COURSES_SEATS_POLL_SECONDS", DEFAULT_POLL_SECONDS))


@require_GET
def edition_seats_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The numbers the edition's page shows anyone (no one's data): published only.

    One aggregate query, no session read; cacheable for a few seconds (browsers and
    proxies may keep it), per language cookie since the labels are translated.
    """
    edition = get_object_or_404(Edition, pk=pk, is_published=True)
    response = JsonResponse(
        seats_payload(edition_id=edition.pk, seats=edition_seats(edition=edition))
    )
    patch_cache_control(response, public=True, max_age=max(poll_seconds() // 3, 1))
    patch_vary_headers(response, ["Cookie"])
    return response
