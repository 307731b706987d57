"""Calendar files (iCalendar): an edition's timetable, a person's subscription."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .models import DeliveryMode, Edition, Session

WARSAW = ZoneInfo("Europe/Warsaw")


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def _location(*, session: Session, edition: Edition, private: bool) -> str:
    if session.place:
        return session.place
    if edition.delivery_mode == DeliveryMode.REMOTE and private:
        return edition.online_link or edition.place
    return edition.place


def _calendar(*, prodid: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{_host()}//{prodid}//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    return calendar


def _event(
    *, session: Session, edition: Edition, stamp: datetime.datetime, private: bool
) -> Event:
    """One session; the online meeting link only in a private (enrolled person's) feed."""
    event = Event()
    event.add("uid", f"session-{session.pk}@{_host()}")
    event.add("dtstamp", stamp)
    event.add(
        "dtstart", datetime.datetime.combine(session.date, session.start_time, WARSAW)
    )
    event.add(
        "dtend", datetime.datetime.combine(session.date, session.end_time, WARSAW)
    )
    event.add("summary", edition.course.title)
    event.add("location", _location(session=session, edition=edition, private=private))
    description = [edition.code, edition.project.name]
    if session.topic:
        description.insert(1, session.topic)
    event.add("description", "\n".join(description))
    if private and edition.online_link:
        event.add("url", edition.online_link)
    return event


def edition_calendar(*, edition: Edition) -> bytes:
    """One event per session, in Warsaw time, with UIDs that stay the same.

    Public: anyone may download it, so the online meeting link is left out (the
    enrolled get it in their private feed and in the reminder before each session)."""
    calendar = _calendar(
        prodid=edition.project.code, name=f"{edition.course.title} ({edition.code})"
    )
    stamp = timezone.now()
    for session in edition.sessions.all():
        calendar.add_component(
            _event(session=session, edition=edition, stamp=stamp, private=False)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def personal_calendar(*, sessions: Iterable[Session], name: str) -> bytes:
    """A person's subscription: every session given, each with an alarm the day before."""
    calendar = _calendar(prodid="szkolenia", name=name)
    stamp = timezone.now()
    for session in sessions:
        event = _event(
            session=session, edition=session.edition, stamp=stamp, private=True
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description",
            _("Tomorrow: %(course)s") % {"course": session.edition.course.title},
        )
        alarm.add("trigger", datetime.timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
