from django.urls import path

from .consumers import CertificateBatchConsumer

websocket_urlpatterns: list = [
    path(
        "ws/zaswiadczenia/wydawanie/<int:batch_id>/",
        CertificateBatchConsumer.as_asgi(),
    ),
]
