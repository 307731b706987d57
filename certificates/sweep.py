"""Leftovers of crashed issuances: temporary files, files no certificate names, missing PDFs.

A crash can leave a temporary file (a write cut short), a whole file whose certificate
row never named it (the process died between the move and the commit), or a committed
certificate without its PDF (the render or the storage kept failing). Only what is older
than a grace period is touched, so an issuance in progress is never disturbed.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from courses.storage import TEMP_SUFFIX

from .models import Certificate
from .pdf import CertificateRenderer

logger = logging.getLogger(__name__)

ROOT = "certificates"


@dataclass
class SweepResult:
    temporary_removed: list[str] = field(default_factory=list)
    unnamed_removed: list[str] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    not_stored: list[str] = field(default_factory=list)


def stored_names(storage, directory: str = ROOT) -> list[str]:
    """Every file under `directory` of the storage, as names relative to its root."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" for name in files]
    for child in directories:
        names.extend(stored_names(storage, f"{directory}/{child}"))
    return names


def certificates_sweep(*, grace: timedelta = timedelta(minutes=10)) -> SweepResult:
    """Remove temporary and unnamed files, and store the PDFs still missing."""
    from .services import certificate_store_pdf

    result = SweepResult()
    storage = Certificate._meta.get_field("pdf").storage
    before = timezone.now() - grace
    named = set(Certificate.objects.exclude(pdf="").values_list("pdf", flat=True))
    for name in stored_names(storage):
        if name in named:
            continue
        try:
            if storage.get_modified_time(name) >= before:
                continue  # being written or moved right now
        except FileNotFoundError:
            continue
        storage.delete(name)
        if name.endswith(TEMP_SUFFIX):
            result.temporary_removed.append(name)
        else:
            result.unnamed_removed.append(name)
        logger.warning("Removed %s, which no certificate names", name)
    renderer = CertificateRenderer()
    for certificate in Certificate.objects.filter(pdf="", issued_at__lt=before):
        if certificate_store_pdf(certificate=certificate, renderer=renderer):
            result.stored.append(certificate.number)
        else:
            result.not_stored.append(certificate.number)
    return result
