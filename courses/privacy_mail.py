"""E-mails about a person's own data: the erasure they asked for, and its completion.

Sent after the commit, to the address the person had when they asked: the one
message that may still reach them, since an anonymised person has no address left.
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .links import public_url
from .models import ErasureRequest
from .services.access import operator_name

logger = logging.getLogger(__name__)


def _kept(request: ErasureRequest) -> list[dict]:
    return [
        {
            **item,
            "until": datetime.date.fromisoformat(item["until"])
            if item["until"]
            else None,
        }
        for item in request.kept
    ]


def _send(*, template: str, address: str, context: dict) -> None:
    with translation.override("pl"):
        context = {
            **context,
            "operator": operator_name(),
            "privacy_url": public_url(reverse("courses:privacy")),
        }
        prefix = f"courses/emails/{template}"
        subject = render_to_string(f"{prefix}_subject.txt", context)
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[address]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def erasure_confirmation_send(*, request_id: int, address: str) -> None:
    """What was erased at once, what is kept until when and why, and what comes next."""
    if not address or address.endswith(".invalid"):
        return
    request = ErasureRequest.objects.get(pk=request_id)
    _send(
        template="erasure_confirmed",
        address=address,
        context={"request_done": request, "kept": _kept(request)},
    )


def erasure_completed_send(*, address: str, projects: list[str]) -> None:
    """The last message: the kept records are anonymised, the address with them."""
    if not address or address.endswith(".invalid"):
        return
    _send(template="erasure_completed", address=address, context={"projects": projects})


def send_quietly(send, **kwargs) -> None:
    """After the commit: a mail server that is down must not undo the erasure."""
    try:
        send(**kwargs)
    except Exception:
        logger.exception("Privacy e-mail %s not sent", send.__name__)
