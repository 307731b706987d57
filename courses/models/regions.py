from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Macroregion(models.Model):
    """A group of voivodeships served together by one ROPS partnership."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where this grouping of voivodeships comes from."),
    )

    class Meta:
        verbose_name = _("macroregion")
        verbose_name_plural = _("macroregions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def members(self) -> str:
        return ", ".join(v.name for v in self.voivodeships.all())


class Voivodeship(models.Model):
    """One of the 16 voivodeships, identified by its TERYT code."""

    teryt = models.CharField(_("TERYT code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    macroregion = models.ForeignKey(
        Macroregion,
        verbose_name=_("macroregion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voivodeships",
    )

    class Meta:
        verbose_name = _("voivodeship")
        verbose_name_plural = _("voivodeships")
        ordering = ["teryt"]

    def __str__(self) -> str:
        return self.name

    # Every voivodeship's name is an adjective in -kie ("lubelskie"): Polish sentences
    # need its cases, "w województwie lubelskim", "dla województwa lubelskiego".
    # Other languages keep the name as it is.
    def in_sentence(self, case: str) -> str:
        """The name in a case ("locative", "genitive") when the language is Polish."""
        if not (get_language() or "pl").startswith("pl") or not self.name.endswith(
            "ie"
        ):
            return self.name
        return self.name[:-1] + ("m" if case == "locative" else "ego")
