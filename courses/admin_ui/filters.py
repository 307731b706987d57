"""Filters of the coordinator's lists."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ..models import (
    Course,
    Edition,
    Enrolment,
    EnrolmentStatus,
    InstitutionType,
    Project,
    TraineeProfile,
    Voivodeship,
)


class EnrolmentFilterSet(WagtailFilterSet):
    project = django_filters.ModelChoiceFilter(
        field_name="edition__project",
        queryset=Project.objects.all(),
        label=_("project"),
    )
    course = django_filters.ModelChoiceFilter(
        field_name="edition__course",
        queryset=Course.objects.all(),
        label=_("course"),
    )
    edition = django_filters.ModelChoiceFilter(
        queryset=Edition.objects.select_related("course"),
        label=_("edition"),
    )
    voivodeship = django_filters.ModelChoiceFilter(
        queryset=Voivodeship.objects.all(),
        label=_("voivodeship"),
    )
    institution_type = django_filters.ChoiceFilter(
        field_name="trainee__institution__type",
        choices=InstitutionType.choices,
        label=_("institution type"),
    )
    status = django_filters.ChoiceFilter(
        choices=EnrolmentStatus.choices,
        label=_("status"),
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Enrolment
        fields = [
            "project",
            "course",
            "edition",
            "voivodeship",
            "institution_type",
            "status",
        ]


class TraineeFilterSet(WagtailFilterSet):
    institution_type = django_filters.ChoiceFilter(
        field_name="institution__type",
        choices=InstitutionType.choices,
        label=_("institution type"),
    )
    voivodeship = django_filters.ModelChoiceFilter(
        field_name="institution__voivodeship",
        queryset=Voivodeship.objects.all(),
        label=_("voivodeship"),
    )

    class Meta:
        model = TraineeProfile
        fields = ["institution_type", "voivodeship", "position"]
