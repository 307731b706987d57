from django import template

from ..views.seats import poll_seconds

register = template.Library()


@register.simple_tag
def seats_poll_ms() -> int:
    """Milliseconds between two polls of the seats while the websocket is down."""
    return poll_seconds() * 1000
