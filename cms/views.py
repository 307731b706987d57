from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courses.roles import roles_of


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are and where to go next."""
    return render(request, "cms/account.html", {"roles": roles_of(request.user)})
