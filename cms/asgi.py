"""ASGI entry point: HTTP through Django, websockets through the apps' Channels routes."""

import os
from importlib import import_module

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.apps import apps  # noqa: E402
from django.urls import re_path  # noqa: E402

from cms.consumers import UnknownPathConsumer  # noqa: E402


def collect_websocket_urlpatterns() -> list:
    """Every installed app may offer `websocket_urlpatterns` in its routing module."""
    patterns: list = []
    for config in apps.get_app_configs():
        try:
            routing = import_module(f"{config.name}.routing")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.routing":
                raise
            continue
        patterns.extend(getattr(routing, "websocket_urlpatterns", []))
    # Last: any other path closes with 4404 instead of an error and a traceback.
    patterns.append(re_path(r"", UnknownPathConsumer.as_asgi()))
    return patterns


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(collect_websocket_urlpatterns()))
        ),
    }
)
