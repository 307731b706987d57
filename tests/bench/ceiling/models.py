from django.conf import settings
from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class Ping(models.Model):
    """One row per request: the trivial write the ceiling measures."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"ping {self.pk}"


class BarePage(Page):
    """The pages benchmark's ceiling: a Wagtail page and nothing of the platform's.

    Served by Wagtail's own view through the same middleware, with a template that
    extends nothing: what any Wagtail site pays for a page.
    """

    body = RichTextField(blank=True)

    template = "bench_ceiling/bare_page.html"
