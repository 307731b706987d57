"""The interface speaks one language: crawled as every demo role.

In Polish, no English is left on the site or in the admin screens of the project's apps:
no text that Django, Wagtail, allauth or the project itself has a Polish translation
for, no "True"/"False" cells, no "There are no … to display", no "0 Images". In
English, the content that exists only in Polish (the editors' pages, course titles)
sits inside an element marked lang="pl", so that a screen reader reads it as Polish.

The pages come from a crawl, not from a hand-made list: the public pages and each
role's own pages are found by following the links of the pages it starts from, and the
admin screens are every screen the URL resolver lists under the project's admin areas
(listings, forms, the detail screens of the first object each listing links to).
"""

import gettext
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

ROLES = {
    "coordinator": "koordynator@szkolenia.test",
    "trainer": "trener@szkolenia.test",
    "trainee": "absolwent@szkolenia.test",
    "trainee-pending": "zgloszenie@szkolenia.test",
    "partner": "partner@szkolenia.test",
    "adviser": "doradca@szkolenia.test",
    "representative": "gmina@szkolenia.test",
}
# Where a visitor and each role start; the crawl follows the links from there.
PUBLIC_START = ["/", "/terminy/", "/szukaj/?q=pomoc", "/prywatnosc/"]
ROLE_START = {
    "coordinator": ["/moje-doradztwo/", "/nabory/"],
    "trainer": ["/moje-grupy/"],
    "trainee": ["/moje-szkolenia/", "/profil/", "/moje-dane/"],
    "trainee-pending": ["/moje-szkolenia/"],
    "partner": ["/eksport-danych/"],
    "adviser": ["/moje-doradztwo/", "/moje-coachingi/"],
    "representative": ["/nabory/"],
}
# The project's own admin areas (its apps' menus); Wagtail's page tree, images and
# documents are Wagtail's own screens, translated by Wagtail.
ADMIN_AREAS = (
    "admin/training/",
    "admin/partners/",
    "admin/privacy/",
    "admin/certificates/",
    "admin/evaluation/",
)
# Screens that change something on GET or are parts of another screen.
ADMIN_SKIP = re.compile(r"/(delete|results|history-results|usage|start|zip)/")
# Detail screens reached from a listing's links.
ADMIN_DETAIL = re.compile(r"/(inspect|edit|history|preview|person|participation)/\d+/$")
SITE_SKIP = re.compile(
    r"^/(admin|django-admin|konto/(logout|password|email|3rdparty|2fa|reauthenticate)"
    r"|i18n|static|media|dokumenty)/"
    r"|\.(pdf|xlsx|ods|csv|ics|zip|png|jpg|svg|json)$|/pobierz/|/plik/|/kalendarz/"
)
MAX_SITE_PAGES = 60

# Phrases that are English wherever they appear in a Polish page.
ENGLISH_PHRASES = [
    re.compile(pattern)
    for pattern in (
        r"\bThere (are|is) no\b",
        r"\bto display\b",
        r"\bTablib Dataset\b",
        r"\b\d+ (Images?|Documents?|Pages?)\b",
        r"\bcreated in\b",
        r"\bNo results\b",
        r"\bShowing \d+",
        r"\bPage \d+ of \d+\b",
        r"\bSort by\b",
        r"\bSelect all\b",
        r"\b\d+ (minutes?|hours?|days?|months?|years?) ago\b",
        r"\bThis field is required\b",
    )
]
# A cell, tag or label whose whole text is one of these is English.
ENGLISH_WORDS = {"True", "False", "None", "Yes", "No", "Unknown", "N/A", "null"}


def _catalogue_msgids() -> set[str]:
    """Every English text that one of the Polish catalogues in use translates (to
    something other than itself): Django's, Wagtail's, allauth's, the project's..."""
    import allauth
    import django
    import wagtail

    roots = [Path(django.__file__).parent, Path(wagtail.__file__).parent]
    roots.append(Path(allauth.__file__).parent)
    files = [path for root in roots for path in root.rglob("pl/LC_MESSAGES/django.mo")]
    files += [Path(path) / "pl/LC_MESSAGES/django.mo" for path in settings.LOCALE_PATHS]
    msgids: set[str] = set()
    for path in files:
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for key, translation in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or "%" in msgid or "{" in msgid or "\n" in msgid:
                continue
            if translation.strip() == msgid.strip():
                continue
            if len(msgid) >= 2 and re.search(r"[A-Za-z]{2}", msgid):
                msgids.add(msgid.strip())
    return msgids


MSGIDS = _catalogue_msgids()


def _visible_strings(soup: BeautifulSoup):
    """(text, element) of every visible text node, with the language it is marked in."""
    for node in soup.find_all(["script", "style", "template", "noscript", "svg"]):
        node.decompose()
    root = soup.body or soup
    for text in root.find_all(string=True):
        if not isinstance(text, NavigableString) or type(text) is not NavigableString:
            continue  # comments, CDATA, doctypes
        stripped = " ".join(text.split())
        if not stripped:
            continue
        if any(
            parent.has_attr("hidden") or parent.get("aria-hidden") == "true"
            for parent in text.parents
        ):
            continue  # not shown, not read out
        marked = next(
            (parent.get("lang") for parent in text.parents if parent.get("lang")),
            None,
        )
        yield stripped, text.parent, marked


def _english_leftovers(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for pattern in ENGLISH_PHRASES:
        if pattern.search(title):
            found.append(f"<title>: {title!r}")
    for text, parent, marked in _visible_strings(soup):
        if marked and not marked.startswith("pl"):
            continue  # marked as English on purpose (the language switch)
        if text in ENGLISH_WORDS or text.rstrip(":") in MSGIDS:
            found.append(f"<{parent.name}>: {text!r}")
            continue
        for pattern in ENGLISH_PHRASES:
            if pattern.search(text):
                found.append(f"<{parent.name}>: {text!r}")
                break
    return found


def _links(html: str, base: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    links = []
    for anchor in soup.find_all("a", href=True):
        url = urlsplit(urljoin(base, anchor["href"]))
        if url.netloc not in ("", "testserver"):
            continue
        links.append(url.path + (f"?{url.query}" if url.query else ""))
    return links


def _crawl(client, start: list[str], *, limit: int = MAX_SITE_PAGES) -> dict[str, str]:
    """Site pages (not the admin) reachable from `start`, path -> HTML."""
    pages: dict[str, str] = {}
    queue = deque(start)
    seen = set(start)
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"]).path
            if target not in seen and not SITE_SKIP.search(target):
                seen.add(target)
                queue.append(target)
            continue
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        html = response.content.decode()
        pages[path] = html
        for link in _links(html, path):
            bare = link.split("?")[0]
            if link in seen or SITE_SKIP.search(bare) or "?" in link:
                continue
            seen.add(link)
            queue.append(link)
    return pages


def _admin_routes() -> list[str]:
    """The admin screens without parameters under the project's admin areas."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return sorted(
        "/" + route
        for route in walk(get_resolver().url_patterns)
        if route.startswith(ADMIN_AREAS) and "<" not in route and "(" not in route
        if not ADMIN_SKIP.search("/" + route)
    )


def _admin_pages(client) -> dict[str, str]:
    """Every listing and form of the project's admin areas, and the detail screens
    of the first object each of them links to."""
    pages: dict[str, str] = {"/admin/": client.get("/admin/").content.decode()}
    details: dict[str, str] = {}
    for path in _admin_routes():
        response = client.get(path)
        # 405: an action that only answers POST (its form is on another screen).
        assert response.status_code in (200, 302, 403, 405), (
            path,
            response.status_code,
        )
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[path] = html
        for link in _links(html, path):
            bare = link.split("?")[0]
            if not ADMIN_DETAIL.search(bare) or not bare.startswith("/admin/"):
                continue
            try:
                name = resolve(bare).view_name
            except Resolver404:
                continue
            details.setdefault(name, bare)
    for path in details.values():
        response = client.get(path)
        assert response.status_code in (200, 302, 403), (path, response.status_code)
        if response.status_code == 200 and "html" in response["Content-Type"]:
            pages[path] = response.content.decode()
    return pages


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", verbosity=0)


def _client(client, role: str | None, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role:
        client.force_login(get_user_model().objects.get(email=ROLES[role]))
    return client


def _report(pages: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{path}: {', '.join(sorted(set(found)))}"
        for path, found in pages.items()
        if found
    )


def test_catalogues_are_read():
    """The check has something to check against."""
    assert {"Save", "Cancel", "Search"} <= MSGIDS


def test_the_check_finds_english():
    html = (
        "<html><body><table><tr><td>True</td><td>Tak</td></tr></table>"
        "<p>There are no enrolments to display.</p><span>0 Images</span>"
        '<button lang="en">English</button><p>Save</p></body></html>'
    )
    assert _english_leftovers(html) == [
        "<td>: 'True'",
        "<p>: 'There are no enrolments to display.'",
        "<span>: '0 Images'",
        "<p>: 'Save'",
    ]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_english_in_the_polish_site(demo, client, role):
    client = _client(client, role, "pl")
    start = ROLE_START.get(role, []) + PUBLIC_START
    pages = _crawl(client, start)
    assert len(pages) >= 5, pages.keys()
    found = {path: _english_leftovers(html) for path, html in pages.items()}
    assert not any(found.values()), _report(found)


@pytest.mark.parametrize("role", ["coordinator", "trainer", "adviser"])
def test_no_english_in_the_polish_admin(demo, client, role):
    client = _client(client, role, "pl")
    pages = _admin_pages(client)
    if role == "coordinator":
        # Every listing of the training app, and the detail screens they link to.
        assert "/admin/training/enrolments/" in pages
        assert any("/admin/training/enrolments/inspect/" in path for path in pages)
        assert "/admin/training/editions/" in pages
    found = {path: _english_leftovers(html) for path, html in pages.items()}
    assert not any(found.values()), _report(found)


# Text in Polish: its letters, or a text the editors and coordinators wrote.
POLISH_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def _polish_content() -> set[str]:
    """Texts that exist only in Polish: titles of pages without an English title,
    course titles, project, offer and call names."""
    from wagtail.models import Page

    from courses.models import AdvisoryOffer, Call, Course, Project

    texts = set()
    for page in Page.objects.live().specific():
        if not getattr(page, "title_en", ""):
            texts.add(page.title)
    texts |= set(Course.objects.values_list("title", flat=True))
    texts |= set(Project.objects.values_list("name", flat=True))
    texts |= set(AdvisoryOffer.objects.values_list("title", flat=True))
    texts |= set(Call.objects.values_list("title", flat=True))
    return {text for text in texts if len(text) >= 8}


VOIVODESHIPS = sorted(
    """dolnośląskie kujawsko-pomorskie lubelskie lubuskie łódzkie małopolskie mazowieckie
    opolskie podkarpackie podlaskie pomorskie śląskie świętokrzyskie warmińsko-mazurskie
    wielkopolskie zachodniopomorskie""".split(),
    key=len,
    reverse=True,
)


def _unmarked_polish(html: str, polish: set[str]) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html.get("lang") == "en"
    found = []
    for text, parent, marked in _visible_strings(soup):
        if (marked and marked.startswith("pl")) or parent.name == "textarea":
            continue  # marked; or what a person typed, in whatever language they use
        # A Polish term glossed in brackets inside an English sentence is English text;
        # so is a sentence naming voivodeships (proper names, as "Śląskie Voivodeship").
        unglossed = re.sub(r"\([^)]*\)", "", text)
        for name in VOIVODESHIPS:
            unglossed = unglossed.replace(name, "")
        if POLISH_LETTERS.search(unglossed) or any(c in text for c in polish):
            found.append(f"<{parent.name}>: {text[:80]!r}")
    return found


@pytest.mark.parametrize("role", [None, *ROLES])
def test_polish_content_is_marked_in_the_english_site(demo, client, role):
    """In English, the interface is English and what exists only in Polish is marked
    lang="pl" (a screen reader then reads it as Polish)."""
    client = _client(client, role, "en")
    polish = _polish_content()
    start = ROLE_START.get(role, []) + PUBLIC_START
    pages = _crawl(client, start)
    assert len(pages) >= 5, pages.keys()
    found = {path: _unmarked_polish(html, polish) for path, html in pages.items()}
    assert not any(found.values()), _report(found)


def test_menu_footer_funding_and_accessibility_are_english(demo, client):
    from wagtail.models import Site

    from courses.models import FundingSettings

    client = _client(client, None, "en")
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    menu = [" ".join(a.get_text().split()) for a in soup.select("#site-menu a")]
    assert {"Training dates", "Advisory", "Calls", "Search", "Log in"} <= set(menu)
    marks = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    assert marks.funding_statement_en
    statement = soup.select_one(".funding__statement")
    assert statement.get_text(strip=True) == marks.funding_statement_en
    assert statement.get("lang") is None
    footer = soup.select_one(".site-footer")
    assert "Privacy and cookies" in footer.get_text()
    links = {a["href"]: a for a in footer.select(".footer-links a")}
    statement_link = next(a for href, a in links.items() if "dostepnosc" in href)
    assert statement_link.get_text(strip=True) == "Accessibility statement"
    page = BeautifulSoup(
        client.get(urlsplit(statement_link["href"]).path).content.decode(),
        "html.parser",
    )
    assert page.h1.get_text(strip=True) == "Accessibility statement"
    headings = {h2.get_text(strip=True) for h2 in page.select("h2")}
    assert {"Compliance status", "Feedback and contact details"} <= headings
