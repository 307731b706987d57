"""Background work: bulk issuance (immediate backend by default, database worker in production)."""

from django_tasks import task

from courses.links import public_base_url, public_base_url_of

from .models import CertificateBatch


@task()
def issue_certificate_batch(batch_id: int, base_url: str = "") -> dict:
    """Run one bulk issuance; running it again after a crash issues the rest.

    `base_url`: the address the PDFs link to, as the request that queued it saw it;
    without it, today's (read once, not for every link of every certificate).
    """
    from .services import certificate_batch_run

    with public_base_url_of(base_url or public_base_url()):
        batch = certificate_batch_run(batch=CertificateBatch.objects.get(pk=batch_id))
    return {"issued": batch.issued, "failed": batch.failed}
