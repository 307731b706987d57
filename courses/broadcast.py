"""Live seats: tell everyone watching an edition its seats once an enrolment commits."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .models import Edition
from .selectors import Seats, editions_with_seats

logger = logging.getLogger(__name__)

# Channels hands it to EditionSeatsConsumer.seats_changed.
SEATS_MESSAGE = "seats.changed"


def edition_group(*, edition_id: int) -> str:
    """The Channels group of everyone watching one edition."""
    return f"edition-{edition_id}"


def seats_message(*, edition_id: int, seats: Seats) -> dict:
    """The group message: plain numbers; each consumer adds labels in its language."""
    return {
        "type": SEATS_MESSAGE,
        "edition": edition_id,
        "capacity": seats.capacity,
        "taken": seats.taken,
        "waiting": seats.waiting,
    }


async def _send_all(layer, messages: list[dict]) -> None:
    for message in messages:
        await layer.group_send(edition_group(edition_id=message["edition"]), message)


def seats_broadcast(sender, *, edition_ids, **kwargs) -> None:
    """Receiver of `seats_changed`: one query for all editions, then one send per group."""
    # Runs after the enrolment committed: a broken channel layer must cost the
    # watchers an update, never the trainee their place or the request its response.
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        rows = editions_with_seats(editions=Edition.objects.filter(pk__in=edition_ids))
        messages = [
            seats_message(edition_id=edition.pk, seats=seats) for edition, seats in rows
        ]
        async_to_sync(_send_all)(layer, messages)
    except Exception:
        logger.exception("Could not broadcast the seats of editions %s", edition_ids)
