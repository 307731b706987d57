from django.urls import path

from .consumers import EditionSeatsConsumer

websocket_urlpatterns: list = [
    path("ws/edycje/<int:edition_id>/", EditionSeatsConsumer.as_asgi()),
]
