from django.urls import path

from .consumers import EditionSeatsConsumer
from .export_consumers import ExportProgressConsumer

websocket_urlpatterns: list = [
    path("ws/edycje/<int:edition_id>/", EditionSeatsConsumer.as_asgi()),
    path("ws/eksport/<int:log_id>/", ExportProgressConsumer.as_asgi()),
]
