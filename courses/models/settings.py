from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    """The site's funding statement and marks: the site's footer shows them, and a
    project's documents use them where the project has none of its own."""

    funding_statement = models.TextField(
        _("funding statement"),
        default=(
            "Projekt współfinansowany przez Unię Europejską ze środków Europejskiego "
            "Funduszu Społecznego w ramach Programu Operacyjnego Wiedza Edukacja Rozwój "
            "2014-2020."
        ),
    )
    funding_statement_en = models.TextField(
        _("funding statement in English"),
        blank=True,
        default=(
            "Project co-financed by the European Union from the European Social Fund "
            "under the Operational Programme Knowledge Education Development 2014-2020."
        ),
        help_text=_("Shown in the footer when the site is in English."),
    )
    programme_mark = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("programme mark (Fundusze Europejskie)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    national_mark = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("national mark (flag and emblem of Poland)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region_mark = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("regional mark (beneficiary)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    eu_mark = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("EU mark (flag of the European Union)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("funding_statement"),
        FieldPanel("funding_statement_en"),
        MultiFieldPanel(
            [
                FieldPanel("programme_mark"),
                FieldPanel("national_mark"),
                FieldPanel("region_mark"),
                FieldPanel("eu_mark"),
            ],
            heading=_("Funding marks"),
        ),
    ]

    class Meta:
        verbose_name = _("funding marks")
