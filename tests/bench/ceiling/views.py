from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import Ping


@require_POST
def ping(request: HttpRequest) -> JsonResponse:
    """Insert one row for the logged-in user: the same middleware, session and CSRF."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login"}, status=401)
    row = Ping.objects.create(user=request.user)
    return JsonResponse({"id": row.pk}, status=201)
