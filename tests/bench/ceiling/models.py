from django.conf import settings
from django.db import models


class Ping(models.Model):
    """One row per request: the trivial write the ceiling measures."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"ping {self.pk}"
