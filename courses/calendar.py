"""Calendar files (iCalendar) of an edition's timetable."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import DeliveryMode, Edition, Session

WARSAW = ZoneInfo("Europe/Warsaw")


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def _location(*, session: Session, edition: Edition) -> str:
    if session.place:
        return session.place
    if edition.delivery_mode == DeliveryMode.REMOTE:
        return edition.online_link or edition.place
    return edition.place


def edition_calendar(*, edition: Edition) -> bytes:
    """One event per session, in Warsaw time, with UIDs that stay the same."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{_host()}//{edition.project.code}//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{edition.course.title} ({edition.code})")
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    stamp = timezone.now()
    for session in edition.sessions.all():
        event = Event()
        event.add("uid", f"session-{session.pk}@{_host()}")
        event.add("dtstamp", stamp)
        event.add(
            "dtstart",
            datetime.datetime.combine(session.date, session.start_time, WARSAW),
        )
        event.add(
            "dtend", datetime.datetime.combine(session.date, session.end_time, WARSAW)
        )
        event.add("summary", edition.course.title)
        event.add("location", _location(session=session, edition=edition))
        description = [edition.code, edition.project.name]
        if session.topic:
            description.insert(1, session.topic)
        event.add("description", "\n".join(description))
        if edition.online_link:
            event.add("url", edition.online_link)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
