"""The trainee's own personal data: who else accessed it (and, later, consents, copy, erasure)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ..http import AuthenticatedHttpRequest
from ..models import TraineeProfile
from ..services.access import access_events_of


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = TraineeProfile.objects.filter(user=request.user).first()
    events = None
    if trainee is not None:
        events = Paginator(access_events_of(trainee=trainee), 25).get_page(
            request.GET.get("strona")
        )
    return render(
        request, "courses/my_data.html", {"trainee": trainee, "events": events}
    )
