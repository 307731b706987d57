"""Progress of a bulk issuance, sent to the coordinators watching it."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Channels hands it to CertificateBatchConsumer.batch_progress.
PROGRESS_MESSAGE = "batch.progress"


def batch_group(*, batch_id: int) -> str:
    return f"certificate-batch-{batch_id}"


def progress_payload(*, batch) -> dict:
    """What the progress bar shows: plain numbers, the same over the socket and polling."""
    return {
        "batch": batch.pk,
        "status": batch.state,
        "total": batch.total,
        "issued": batch.issued,
        "failed": batch.failed,
        "percent": batch.percent,
    }


def batch_progress(*, batch) -> None:
    """Tell the watchers how far the batch got; never fail the batch for it."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(
            batch_group(batch_id=batch.pk),
            {"type": PROGRESS_MESSAGE, **progress_payload(batch=batch)},
        )
    except Exception:
        logger.exception("Could not broadcast the progress of batch %s", batch.pk)
