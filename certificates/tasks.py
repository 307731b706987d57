"""Background work: bulk issuance (immediate backend by default, database worker in production)."""

from django_tasks import task

from .models import CertificateBatch


@task()
def issue_certificate_batch(batch_id: int) -> dict:
    """Run one bulk issuance; running it again after a crash issues the rest."""
    from .services import certificate_batch_run

    batch = certificate_batch_run(batch=CertificateBatch.objects.get(pk=batch_id))
    return {"issued": batch.issued, "failed": batch.failed}
