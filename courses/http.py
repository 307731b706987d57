"""Request types for views that only signed-in users reach."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """What a view behind `login_required` (or the Wagtail admin) is given."""

    user: User
