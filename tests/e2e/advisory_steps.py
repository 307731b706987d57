"""Steps the advisory and coaching browser tests share: both run on the same request
form, case page, meeting form and indicators table (coaching is advisory of another
kind), so each step is written once here and the tests keep their own assertions."""

import re
from collections.abc import Sequence

from django.utils import timezone


def menu_link(page, name: str) -> None:
    """Follow a link of the main menu, unfolding the menu first where it is folded."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name=name, exact=True
    ).click()


def request_send(
    page,
    *,
    choices: Sequence[str] = (),
    participants: str | None = None,
    dates: str | None = None,
    indirect_recipients: str | None = None,
) -> None:
    """Fill in what is given of the request form (options by their labels), send it."""
    for label in choices:
        page.get_by_label(label).check()
    if participants is not None:
        page.get_by_label("Pozostali uczestnicy grupy").fill(participants)
    if dates is not None:
        page.get_by_label("Dogodne terminy").fill(dates)
    if indirect_recipients is not None:
        page.get_by_label("Osoby, którym Twoja instytucja").fill(indirect_recipients)
    page.get_by_role("button", name="Wyślij zgłoszenie").click()


def request_accepted(page) -> None:
    """Wait for "Moje szkolenia" saying that the request is taken."""
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    page.get_by_text("Zgłoszenie przyjęte").wait_for()


def assign_and_book_today(
    page, *, role: str, person: str, start: str, end: str, place: str
) -> None:
    """On a case page, as the coordinator: assign the adviser or coach (`role` is the
    field's label, "Doradca" or "Coach"), then book a meeting for today."""
    page.get_by_role("combobox", name=role).select_option(label=person)
    page.get_by_role("button", name="Przydziel").click()
    page.get_by_text(f"{role} jest przydzielony.").wait_for()
    page.get_by_label("Data").fill(timezone.localdate().isoformat())
    page.get_by_label("Początek").fill(start)
    page.get_by_label("Koniec").fill(end)
    page.get_by_label("Miejsce lub link").fill(place)
    page.get_by_role("button", name="Umów", exact=True).click()
    page.get_by_text("Spotkanie jest umówione.").wait_for()


def meeting_describe(page, *, note: str, attendees: Sequence[str] = ()) -> None:
    """On a case page: open the booked meeting's description and fill it in as held by
    video, the person who asked present with `attendees`; not saved yet."""
    page.get_by_role("link", name=re.compile("Opisz spotkanie")).click()
    page.get_by_label("zdalnie: spotkanie wideo").check()
    page.get_by_label("Osoba zgłaszająca była obecna").check()
    for name in attendees:
        page.get_by_label(name).check()
    page.get_by_label("Krótka notatka").fill(note)


def meeting_save(page) -> None:
    """Save the meeting's description and wait for it to be said saved."""
    page.get_by_role("button", name="Zapisz opis").click()
    page.get_by_text("Opis spotkania jest zapisany.").wait_for()


def indicator(page, row: str) -> str:
    """The figure in a row of the indicators dashboard's advisory table."""
    table = page.locator("table[data-chart='advisory']")
    return table.get_by_role("row", name=row).get_by_role("cell").first.inner_text()


def indicators_shot(page, shot, step: str) -> None:
    """A screenshot of the viewport at the advisory table (the full page is long)."""
    page.locator("table[data-chart='advisory']").scroll_into_view_if_needed()
    page.screenshot(path=str(shot(page, step)))
