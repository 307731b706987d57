"""Printed documents of an enrolment: the application form with the declaration."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils._os import safe_join
from wagtail.models import Site
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .funding import project_funding
from .models import Enrolment
from .services.privacy import clause_current

# Any base will do: the fetcher below maps its paths to files on disk.
_BASE_URL = "https://documents.invalid/"


def _local_file(path: str) -> str | None:
    if path.startswith(settings.STATIC_URL):
        relative = path.removeprefix(settings.STATIC_URL)
        found = finders.find(relative)
        if found:
            return found
        return safe_join(settings.STATIC_ROOT, relative)
    if path.startswith(settings.MEDIA_URL):
        return safe_join(settings.MEDIA_ROOT, path.removeprefix(settings.MEDIA_URL))
    return None


def _bucket_media(url: str) -> bytes | None:
    """A public media file's bytes when the media are in a bucket (MEDIA_S3_BUCKET) and
    `url` is one of its addresses: read through the storage, with its credentials."""
    from django.core.files.storage import default_storage

    if not hasattr(default_storage, "bucket_name"):  # the media folder
        return None
    base = default_storage.url("x").split("?")[0][:-1]
    plain = url.split("?")[0]
    if not plain.startswith(base):
        return None
    with default_storage.open(unquote(plain.removeprefix(base))) as file:
        return file.read()


class LocalFilesFetcher(URLFetcher):
    """Serves static and media files from disk (or the media's bucket, through its
    storage): a document never fetches an address of the network."""

    def fetch(self, url, headers=None):
        stored = _bucket_media(url)
        if stored is not None:
            mime_type = mimetypes.guess_type(urlsplit(url).path)[0]
            return URLFetcherResponse(
                url,
                body=stored,
                headers={"Content-Type": mime_type or "application/octet-stream"},
            )
        local = _local_file(unquote(urlsplit(url).path))
        if local is None or not Path(local).is_file():
            raise ValueError(f"Not a local static or media file: {url}")
        mime_type = mimetypes.guess_type(local)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(local).read_bytes(), headers={"Content-Type": mime_type}
        )


def render_pdf(*, template: str, context: dict) -> bytes:
    """A PDF from a template, in Polish, with its title and language set."""
    with translation.override("pl"):
        html = render_to_string(template, context)
    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=LocalFilesFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_application_pdf(*, enrolment: Enrolment, site: Site | None = None) -> bytes:
    """The pre-filled application form and declaration of one enrolment."""
    enrolment = Enrolment.objects.select_related(
        "trainee__institution__voivodeship",
        "trainee__user",
        "edition__course",
        "edition__project",
    ).get(pk=enrolment.pk)
    project = enrolment.edition.project
    with translation.override("pl"):
        funding = project_funding(project=project, site=site)
    return render_pdf(
        template="courses/documents/application_form.html",
        context={
            "enrolment": enrolment,
            "trainee": enrolment.trainee,
            "institution": enrolment.trainee.institution,
            "edition": enrolment.edition,
            "course": enrolment.edition.course,
            "project": project,
            "sessions": list(enrolment.edition.sessions.all()),
            "funding": funding,
            "applied_on": timezone.localdate(enrolment.created_at),
            "printed_on": timezone.localdate(),
            "clause": clause_current(project=project) or clause_current(project=None),
        },
    )
