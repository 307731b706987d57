"""Forms of working groups: a new group, a nomination, a meeting of 1 or 2 days."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .content_language import mark_content_choices
from .models import Gender, InstitutionType, Position
from .models.recruitment import ApplicationStatus, Call, CallApplication
from .models.working_groups import COUNTY_KINDS, GroupKind, Sector, WorkingGroup
from .services.working_groups import MeetingDay, Nominee


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        mark_content_choices(self)


class GroupCreateForm(_Form):
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        help_text=_("E.g. Powiatowa Grupa Refleksyjna – powiat nowosolski."),
    )
    application = forms.ModelChoiceField(
        label=_("Selected county"),
        queryset=CallApplication.objects.none(),
        required=False,
        help_text=_("For a county group; leave empty for a regional group."),
    )
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    target_size = forms.IntegerField(
        label=_("Target size"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_(
            "Leave empty for the usual size of the kind: about 7, 15 or about 20."
        ),
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = call.applications.filter(
            status=ApplicationStatus.SELECTED
        ).order_by("kind", "authority")

    def clean(self):
        data = super().clean()
        if data.get("kind") in COUNTY_KINDS and not data.get("application"):
            self.add_error(
                "application", _("A county group belongs to a selected county.")
            )
        return data


class NominationForm(_Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The member signs in with it to see the group's meetings."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect
    )
    institution = forms.CharField(label=_("Institution"), max_length=300)
    institution_type = forms.ChoiceField(
        label=_("Type of institution"),
        choices=InstitutionType.choices,
        initial=InstitutionType.OTHER,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    position = forms.ChoiceField(
        label=_("Position"), choices=Position.choices, initial=Position.OTHER
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def nominee(self) -> Nominee:
        data = self.cleaned_data
        return Nominee(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            gender=data["gender"],
            institution=data["institution"],
            institution_type=data["institution_type"],
            position=data["position"],
            phone=data["phone"],
        )


class MeetingForm(_Form):
    first_day = forms.DateField(
        label=_("Day 1"), widget=forms.DateInput(attrs={"type": "date"})
    )
    first_start = forms.TimeField(
        label=_("Day 1 from"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    first_end = forms.TimeField(
        label=_("Day 1 until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    second_start = forms.TimeField(
        label=_("Day 2 from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("A two-day meeting: day 2 is the day after day 1."),
    )
    second_end = forms.TimeField(
        label=_("Day 2 until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    outside_working_hours = forms.BooleanField(
        label=_("Outside working hours"), required=False
    )
    fee_per_member = forms.DecimalField(
        label=_("Fee per member (PLN)"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Only for a meeting outside working hours."),
    )

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        if group.meeting_days == 1:
            del self.fields["second_start"]
            del self.fields["second_end"]
        else:
            self.fields["second_start"].required = True
            self.fields["second_end"].required = True

    def days(self) -> list[MeetingDay]:
        from datetime import timedelta

        data = self.cleaned_data
        days = [MeetingDay(data["first_day"], data["first_start"], data["first_end"])]
        if self.group.meeting_days == 2:
            days.append(
                MeetingDay(
                    data["first_day"] + timedelta(days=1),
                    data["second_start"],
                    data["second_end"],
                )
            )
        return days
