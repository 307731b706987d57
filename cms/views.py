from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from courses.roles import roles_of

from .selectors import pages_search


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are and where to go next."""
    return render(request, "cms/account.html", {"roles": roles_of(request.user)})


def search(request: HttpRequest) -> HttpResponse:
    """Site search: published pages, restricted lessons as title and teaser only."""
    query = request.GET.get("q", "")[:200]
    hits = pages_search(query=query, user=request.user)
    return render(request, "cms/search.html", {"query": query, "hits": hits})


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404
