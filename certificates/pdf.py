"""The certificate as a PDF: A4, Polish, tagged (PDF/UA), with marks and a QR code.

WeasyPrint spends most of a cold render on fonts and stylesheets. A renderer keeps
the font configuration, the parsed stylesheet, each project's funding and the fetched
images (the funding marks) for as long as it lives, so a batch builds one and reuses
it.
"""

from functools import cached_property

import segno
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from courses.documents import LocalFilesFetcher
from courses.funding import Funding, FundingMark, project_funding
from courses.links import public_url
from courses.models import Project

from .models import Certificate

# Any base will do: the fetcher maps /static/ and /media/ paths to files on disk.
_BASE_URL = "https://documents.invalid/"


def verification_url(*, certificate: Certificate) -> str:
    """The absolute public address the QR code and the printed link point to."""
    path = reverse("certificates:verify_code", args=[certificate.code])
    return public_url(path)


# Any of the eight masks makes a valid code that every reader reads (the mask number
# is in the code's format information); segno's automatic choice builds and scores all
# eight, about 4 ms of a worker's CPU per certificate (four fifths of its HTML).
QR_MASK = 0


def qr_svg(*, url: str) -> str:
    """The QR code as inline SVG: sharp at any size, and no file to fetch."""
    return segno.make(url, error="m", mask=QR_MASK).svg_inline(
        scale=1, border=0, omitsize=True, dark="#000"
    )


class CertificateRenderer:
    """Renders certificates; build one per batch and reuse it."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.fetcher = LocalFilesFetcher()
        self.images: dict = {}  # WeasyPrint's image cache, shared across documents
        self.funding: dict[int, Funding] = {}  # by project: its statement and marks
        self.template = get_template("certificates/pdf/certificate.html")

    @cached_property
    def stylesheet(self) -> CSS:
        css = get_template("certificates/pdf/certificate.css").render({})
        return CSS(string=css, font_config=self.fonts, url_fetcher=self.fetcher)

    def funding_of(self, *, project_id: int) -> Funding:
        if project_id not in self.funding:
            project = Project.objects.get(pk=project_id)
            self.funding[project_id] = project_funding(project=project)
        return self.funding[project_id]

    def funding_at_issue(self, *, certificate: Certificate) -> Funding:
        """The funding as it was at issue; today's for certificates issued before it
        was stored with them."""
        stored = certificate.snapshot.get("funding")
        if not stored:
            return self.funding_of(project_id=certificate.project_id)
        return Funding(
            kind=stored["kind"],
            statement=stored["statement"],
            marks=[FundingMark(**mark) for mark in stored["marks"]],
        )

    def context(self, *, certificate: Certificate) -> dict:
        data = certificate.snapshot
        texts = data.get("template", {})
        url = verification_url(certificate=certificate)
        return {
            "certificate": certificate,
            "data": data,
            "texts": texts,
            "body": fill_body(body=texts.get("body", ""), certificate=certificate),
            "funding": self.funding_at_issue(certificate=certificate),
            "logos": data.get("logos", []),
            "verify_url": url,
            "qr": mark_safe(qr_svg(url=url)),  # noqa: S308 - segno output
        }

    def html(self, *, certificate: Certificate) -> str:
        with translation.override("pl"):
            return self.template.render(self.context(certificate=certificate))

    def render(self, *, certificate: Certificate) -> bytes:
        html = self.html(certificate=certificate)
        document = HTML(string=html, base_url=_BASE_URL, url_fetcher=self.fetcher)
        return document.write_pdf(
            stylesheets=[self.stylesheet],
            font_config=self.fonts,
            pdf_variant="pdf/ua-1",
            cache=self.images,
        )


def dates_label(*, start, end) -> str:
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def fill_body(*, body: str, certificate: Certificate) -> str:
    """The template's text with its placeholders filled; other braces stay as typed."""
    data = certificate.snapshot
    values = {
        "completed": "ukończyła" if data.get("gender") == "K" else "ukończył",
        "course": certificate.course_title,
        "hours": str(certificate.hours),
        "dates": dates_label(start=certificate.start_date, end=certificate.end_date),
        "project": data.get("project_name", ""),
        "project_code": data.get("project_code", ""),
        "edition": data.get("edition_code", ""),
        "place": data.get("place", ""),
    }
    for key, value in values.items():
        body = body.replace("{" + key + "}", value)
    return body
