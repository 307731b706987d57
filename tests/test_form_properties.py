"""Every public form, posted with generated input: never a server error, never a partial
write.

The forms are read from the pages as a browser gets them (their fields, choices and
files), on the demo data, as the person who uses each. Each form gets at least 200
generated submissions (HYPOTHESIS_PROFILE=long: ten times more); each one is rolled
back. A submission either succeeds (a redirect) or answers the form again with what is
wrong, and then nothing in the database has changed.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import AdvisoryOffer, ConsentPurpose, Enrolment
from courses.services.privacy import consent_text_publish

pytestmark = pytest.mark.django_db

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 1
PER_FORM = 200 * SCALE

TRAINEE = "uczestnik@szkolenia.test"
HELD = "oswiadczenie@szkolenia.test"  # a place held, the signed declaration missing


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, hidden
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The POST forms of a page with their fields, as a browser would submit them."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
            return
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.url)
            return
        form = self._form
        if form is None or not a.get("name") or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                entry = form.fields.setdefault(name, Field(name, kind))
                entry.options.append(a.get("value", "on"))
                if "checked" in a:
                    entry.value = a.get("value", "on")
                return
            form.fields[name] = Field(
                name, "file" if kind == "file" else kind, a.get("value", "")
            )
        elif tag == "select":
            self._select = form.fields[name] = Field(name, "select")
        elif tag == "textarea":
            self._textarea = form.fields[name] = Field(name, "textarea")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def forms_of(client, url: str) -> list[Form]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    parser = _Forms(url)
    parser.feed(page.content.decode())
    return [
        f for f in parser.forms if any(x.kind != "hidden" for x in f.fields.values())
    ]


CHOICES = {"hidden", "checkbox", "radio", "select"}
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "31.12.2026",
        "44051401458",  # a well-formed PESEL
        "44051401459",  # one digit wrong
        "a@b",
        "jan.kowalski@example.pl",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "Żółć ĘĄŚ",
        "x" * 5000,
    ]
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILES = st.one_of(
    st.binary(max_size=400),
    st.just(PDF),
    st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 30),
)
NAMES = st.sampled_from(
    ["skan.pdf", "skan.PNG", "a.exe", "", "../../etc/passwd", "ż.jpg"]
)


@st.composite
def submissions(draw, form: Form) -> dict:
    data: dict = {}
    for f in form.fields.values():
        if f.kind == "hidden":
            data[f.name] = f.value
            continue
        if draw(st.integers(0, 9)) == 0:
            continue  # left out, as a hand-made request may
        if f.kind == "file":
            content = draw(FILES)
            data[f.name] = SimpleUploadedFile(draw(NAMES) or "plik", content)
        elif f.kind == "checkbox":
            chosen = draw(st.lists(st.sampled_from(f.options), unique=True))
            if chosen:
                data[f.name] = chosen
        elif f.kind in {"select", "radio"} and f.options:
            data[f.name] = draw(st.sampled_from(f.options) | TEXT)
        else:
            data[f.name] = draw(st.just(f.value) | TRICKY | TEXT)
    return data


def _models():
    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]


def snapshot() -> tuple:
    """How many rows every table holds (one query), and the personal rows' contents."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in _models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
        )
        counts = cursor.fetchone()
    rows = []
    for label in ("courses.TraineeProfile", "courses.Institution"):
        rows.append(sorted(map(str, apps.get_model(label).objects.values_list())))
    return counts, rows


@contextmanager
def rolled_back():
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def check_form(client, url: str, user=None) -> int:
    """Post generated submissions to every POST form of the page; the count tried.

    Each as `user` (logged in again for each: a submission may end the session).
    """
    if user is not None:
        client.force_login(user)
    found = forms_of(client, url)
    assert found, f"{url} shows no form to post"
    tried = 0
    for form in found:
        tried += _post_generated(client, form, user)
    return tried


def _post_generated(client, form: Form, user) -> int:
    tried = 0

    @settings(
        max_examples=PER_FORM,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(data=submissions(form))
    def one(data):
        nonlocal tried
        tried += 1
        with rolled_back():
            if user is not None:
                client.force_login(user)
            before = snapshot()
            response = client.post(form.action, data)
            assert response.status_code < 500, (form.action, data)
            if response.status_code != 302:
                assert snapshot() == before, (form.action, data)

    one()
    # Hypothesis stops early only when it has tried every distinct submission, which
    # happens only to a form of choices alone (a confirmation, say).
    free = [f.name for f in form.fields.values() if f.kind not in CHOICES]
    assert tried >= PER_FORM or not free, (form.action, tried, free)
    return tried


@pytest.fixture
def world(demo_data, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # thousands of posts from one address
    settings.RATELIMIT_ENABLE = False
    for order, (code, name) in enumerate(
        [("wizerunek", "Wizerunek"), ("newsletter", "Newsletter")]
    ):
        purpose = ConsentPurpose.objects.create(code=code, name=name, order=order)
        consent_text_publish(purpose=purpose, text=f"Zgoda: {name}.", actor=None)


def test_every_public_form(client, world):
    """In one test: the demo is loaded once for all of them."""
    from django.contrib.auth import get_user_model

    tried = {}
    for url in ("/konto/signup/", "/konto/password/reset/", "/konto/login/"):
        tried[url] = check_form(client, url)

    trainee = get_user_model().objects.get(email=TRAINEE)
    offer = AdvisoryOffer.objects.filter(is_published=True).first()
    assert offer is not None
    for url in (
        "/profil/",
        "/profil/dane-do-monitorowania/",
        "/moje-dane/",
        "/moje-dane/usuniecie/",
        f"/doradztwo/{offer.pk}/zgloszenie/",
    ):
        tried[url] = check_form(client, url, trainee)

    held = get_user_model().objects.get(email=HELD)
    enrolment = Enrolment.objects.filter(trainee__user__email=HELD).first()
    assert enrolment is not None
    url = f"/zgloszenia/{enrolment.pk}/oswiadczenie/"
    tried[url] = check_form(client, url, held)

    assert all(tried.values()), tried  # each page's forms, PER_FORM each (above)
