from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

TITLES = {"dr", "mgr", "inż", "prof", "hab", "lic"}


class TrainerProfile(index.Indexed, models.Model):
    """A trainer as trainees see them: name, title, photo and a short bio."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_profile",
    )
    name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        """Initials without academic titles: "dr Anna Wójcik" -> "AW"."""
        words = [
            w
            for w in self.name.split()
            if not w.endswith(".") and w.lower() not in TITLES
        ]
        return "".join(word[0] for word in words[-2:]).upper()
