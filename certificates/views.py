"""Public verification, the holder's download, and the batch progress for polling."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from courses.http import AuthenticatedHttpRequest

from .broadcast import progress_payload
from .files import CertificateFileError, read_verified
from .models import Certificate, CertificateBatch
from .selectors import certificate_by_code, certificate_by_number_and_code, masked_name

COORDINATOR_PERMISSION = "certificates.view_certificate"
# Lookups per address in a window: plenty for people, too few to probe codes.
LOOKUP_LIMIT = 20
LOOKUP_WINDOW = 600


def _client_address(request: HttpRequest) -> str:
    # A forwarded header is whatever the client wants it to be, unless a proxy we run
    # sets it: then settings name it (e.g. CERTIFICATES_CLIENT_IP_HEADER =
    # "HTTP_X_REAL_IP"). Otherwise REMOTE_ADDR, the peer of the connection.
    header = getattr(settings, "CERTIFICATES_CLIENT_IP_HEADER", "")
    address = request.META.get(header, "") if header else ""
    return address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "unknown")


def _over_limit(request: HttpRequest) -> bool:
    """Count one lookup for the caller's address; True once it has used them all."""
    key = f"certificates:lookups:{_client_address(request)}"
    cache.add(key, 0, timeout=LOOKUP_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_WINDOW)
        count = 1
    return count > LOOKUP_LIMIT


def _normalise_code(value: str) -> str:
    return "".join(value.split()).replace("-", "").upper()


class VerifyForm(forms.Form):
    numer = forms.CharField(
        label=gettext_lazy("Register number"),
        max_length=80,
        help_text=gettext_lazy(
            "As printed on the certificate, e.g. POWR.02.05/2026/00042"
        ),
    )
    kod = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("The 16 characters printed under the QR code."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _verification(request, certificate, *, form=None, looked_up=True):
    context = {
        "form": form,
        "looked_up": looked_up,
        "certificate": certificate,
        "holder": masked_name(name=certificate.holder_name) if certificate else "",
    }
    status = 404 if looked_up and certificate is None else 200
    response = render(request, "certificates/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request) -> HttpResponse:
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = str(LOOKUP_WINDOW)
    return response


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The form for number and code; both must match or nothing is said."""
    if not request.GET:
        return _verification(request, None, form=VerifyForm(), looked_up=False)
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _verification(request, None, form=form, looked_up=False)
    if _over_limit(request):
        return _too_many(request)
    certificate = certificate_by_number_and_code(
        number=form.cleaned_data["numer"].strip(),
        code=_normalise_code(form.cleaned_data["kod"]),
    )
    return _verification(request, certificate, form=form)


@never_cache
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Reached from the QR code."""
    if _over_limit(request):
        return _too_many(request)
    certificate = certificate_by_code(code=_normalise_code(code))
    return _verification(request, certificate, form=VerifyForm())


def file_unavailable(request: HttpRequest, certificate: Certificate, code: str):
    """A clear page instead of a server error when the PDF cannot be served."""
    status = 503 if code == "not_stored" else 404
    response = render(
        request,
        "certificates/file_unavailable.html",
        {"certificate": certificate, "reason": code},
        status=status,
    )
    if status == 503:
        response["Retry-After"] = "30"
    return response


@login_required
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The stored PDF: the holder's own valid one, or any for a coordinator; else 404.

    Served only if it is the very file issued (its SHA-256 matches the certificate's).
    """
    certificates = Certificate.objects.all()
    if not request.user.has_perm(COORDINATOR_PERMISSION):
        certificates = certificates.filter(
            enrolment__trainee__user=request.user, revoked_at__isnull=True
        )
    certificate = get_object_or_404(certificates, pk=pk)
    try:
        data = read_verified(
            storage=certificate.pdf.storage,
            name=certificate.pdf.name,
            expected_sha256=certificate.pdf_sha256,
        )
    except CertificateFileError as error:
        return file_unavailable(request, certificate, error.code)
    name = f"zaswiadczenie-{slugify(certificate.number)}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@never_cache
def batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress bar's fallback when the websocket cannot connect."""
    if not request.user.has_perm("certificates.add_certificate"):
        raise Http404
    batch = get_object_or_404(CertificateBatch, pk=pk)
    return JsonResponse(progress_payload(batch=batch))
