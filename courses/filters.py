"""Filters of the public catalogue of editions; the admin's own are in admin_ui."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import HOLDING, Course, DeliveryMode, Edition, SupportKind, Voivodeship


class ContentSelect(forms.Select):
    """A select whose options are names in the content's language (voivodeships,
    cities, course titles): in another interface language each option but the empty
    one is marked lang="pl"; the empty label ("any city") is the interface's."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        language = settings.LANGUAGE_CODE
        if value not in (None, "") and (get_language() or language) != language:
            option["attrs"] = {**option["attrs"], "lang": language}
        return option


def _cities() -> list[tuple[str, str]]:
    cities = (
        Edition.objects.filter(is_published=True, course__kind=SupportKind.TRAINING)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
    return [(city, city) for city in cities]


class CatalogueForm(forms.Form):
    """Labels without a colon, as the site's other forms (a checkbox's label after the
    box read "Tylko z wolnymi miejscami:")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CatalogueFilterSet(django_filters.FilterSet):
    """What trainees look for first: where, when, how, with seats, which course."""

    voivodeship = django_filters.ModelChoiceFilter(
        queryset=Voivodeship.objects.order_by("name"),
        label=_("For staff from the voivodeship"),
        empty_label=_("any voivodeship"),
        widget=ContentSelect,
        method="filter_voivodeship",
    )
    city = django_filters.ChoiceFilter(
        choices=_cities,
        label=_("City"),
        empty_label=_("any city"),
        widget=ContentSelect,
    )
    start_from = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label=_("Starting on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_to = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label=_("Starting on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    delivery_mode = django_filters.ChoiceFilter(
        choices=DeliveryMode.choices, label=_("Form"), empty_label=_("any form")
    )
    course = django_filters.ModelChoiceFilter(
        queryset=Course.objects.filter(
            kind=SupportKind.TRAINING, editions__is_published=True
        ).distinct(),
        label=_("Course"),
        empty_label=_("any course"),
        widget=ContentSelect,
    )
    free_seats = django_filters.BooleanFilter(
        label=_("Only with free seats"),
        method="filter_free_seats",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Edition
        fields: list[str] = []
        form = CatalogueForm

    def filter_voivodeship(
        self, queryset: QuerySet[Edition], name: str, value: Voivodeship
    ) -> QuerySet[Edition]:
        # A project is open to a voivodeship through a quota for it or, without
        # quotas, through an eligibility rule naming it (or naming none).
        return queryset.filter(
            Q(project__quotas__voivodeships=value)
            | Q(
                project__quotas__isnull=True,
                project__eligibility_rules__voivodeships=value,
            )
            | Q(
                project__quotas__isnull=True,
                project__eligibility_rules__isnull=True,
            )
        ).distinct()

    def filter_free_seats(
        self, queryset: QuerySet[Edition], name: str, value: bool
    ) -> QuerySet[Edition]:
        if not value:
            return queryset
        return queryset.annotate(
            held=Count("enrolments", filter=Q(enrolments__status__in=HOLDING))
        ).filter(held__lt=F("capacity"))
