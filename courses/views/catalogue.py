"""The trainee's catalogue: every upcoming edition across courses, filtered, by start."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..filters import CatalogueFilterSet
from ..models import LIVE, Edition, Enrolment, SupportKind
from ..selectors import course_public_url, editions_eligibility, editions_with_seats

PAGE_SIZE = 30


def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    now = timezone.now()
    upcoming = (
        # Advisory and coaching cases are editions too, one per request: not listed.
        Edition.objects.filter(
            is_published=True, end_date__gte=today, course__kind=SupportKind.TRAINING
        )
        .select_related("course", "project")
        .order_by("start_date", "code")
    )
    filterset = CatalogueFilterSet(request.GET or None, queryset=upcoming)
    # An invalid filter (a date like "jutro") shows its error and lists nothing.
    if not filterset.is_bound:
        editions = upcoming
    elif filterset.is_valid():
        editions = filterset.qs
    else:
        editions = upcoming.none()
    rows = editions_with_seats(editions=editions)
    total = len(rows)
    rows = rows[:PAGE_SIZE]
    shown = [edition for edition, _seats in rows]
    mine = {}
    if request.user.is_authenticated:
        mine = {
            e.edition_id: e
            for e in Enrolment.objects.filter(
                trainee__user=request.user, edition__in=shown, status__in=LIVE
            )
        }
    urls: dict[int, str | None] = {}
    for edition in shown:
        edition.mine = mine.get(edition.pk)
        edition.open_now = edition.enrolment_is_open(now)
        if edition.course_id not in urls:
            urls[edition.course_id] = course_public_url(
                course=edition.course, request=request
            )
        setattr(edition, "course_url", urls[edition.course_id])  # noqa: B010
    editions_eligibility(editions=shown, user=request.user)
    return render(
        request,
        "courses/catalogue.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "editions": rows,
            "total": total,
            "more": total > len(rows),
            "filtered": any(v for k, v in request.GET.items()),
            "now": now,
            "show_course": True,
        },
    )
