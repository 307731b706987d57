"""Signed scans (declarations, attendance lists): one upload page, one private download."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from ..errors import RuleError
from ..forms import ScanUploadForm
from ..http import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Attach = Callable[..., object]


def download_name(*parts: str, suffix: str) -> str:
    """A file name from the non-empty parts, e.g. `oswiadczenie-kat-01-nowak.pdf`."""
    return "-".join(slugify(part) for part in parts if part) + f".{suffix}"


def scan_upload(
    request: AuthenticatedHttpRequest,
    *,
    label: StrOrPromise,
    attach: Attach,
    done: str,
    next_url: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The upload form; a valid POST goes to `attach(file=, actor=)`, the service.

    A refusal is shown on the file field; success shows `done` at `next_url`.
    """
    form = ScanUploadForm(request.POST or None, request.FILES or None, label=label)
    if request.method == "POST" and form.is_valid():
        file: UploadedFile = form.cleaned_data["file"]
        actor: User = request.user
        try:
            attach(file=file, actor=actor)
        except RuleError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, done)
            return redirect(next_url)
    return render(request, template, {**context, "form": form})


def scan_download(scan: FieldFile, *name_parts: str) -> FileResponse:
    """The stored scan as an attachment named from the parts, never cached."""
    suffix = (scan.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        scan.open("rb"),
        as_attachment=True,
        filename=download_name(*name_parts, suffix=suffix),
    )
    response["Cache-Control"] = "private, no-store"
    return response
