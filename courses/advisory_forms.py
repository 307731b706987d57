"""Forms of advisory and coaching: the request, the booking and the meeting's record."""

from typing import cast

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .content_language import mark_content_choices
from .models import (
    AdvisoryForm,
    AdvisoryMode,
    AdvisoryOffer,
    AdvisoryRequest,
    RequestChannel,
    TraineeProfile,
    TrainerProfile,
)
from .models.advisory import GROUP_MAX
from .roles import ADVISER, TRAINER
from .services.advisory import Participant, RequestDetails


class _Form(forms.Form):
    # Choices that are content (the offer's topics, people): marked lang="pl" in English.
    content_choices = ("topics", "attendees", "adviser", "trainee")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        mark_content_choices(self, *self.content_choices)

    def choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


def _topic_choices(offer: AdvisoryOffer) -> list[tuple[str, str]]:
    return [(topic, topic) for topic in offer.topic_list]


class AdvisoryRequestForm(_Form):
    topics = forms.MultipleChoiceField(
        label=_("Topics you want advice on"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    form = forms.ChoiceField(
        label=_("Form of advice"),
        choices=AdvisoryForm.choices,
        widget=forms.RadioSelect,
        initial=AdvisoryForm.INDIVIDUAL,
    )
    participants = forms.CharField(
        label=_("Other participants of the group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Group advice only: one person per line, name; institution "
            "(e.g. Anna Nowak; OPS w Rybniku). 1 to 14 people besides you."
        ),
    )
    mode = forms.ChoiceField(
        label=_("How and where"),
        choices=AdvisoryMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the advice is to be given.")},
        help_text=_(
            "For a meeting at your workplace or an agreed place, see to a place "
            "convenient and comfortable for both sides."
        ),
    )
    place = forms.CharField(
        label=_("Place of the meeting"),
        required=False,
        max_length=300,
        help_text=_("For a meeting at an agreed place: the address you propose."),
    )
    preferred_dates = forms.CharField(
        label=_("Dates that suit you"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the dates that suit you.")},
    )
    indirect_recipients = forms.IntegerField(
        label=_("People your institution serves with what it learns"),
        min_value=0,
        max_value=10_000_000,
        initial=0,
        help_text=_("An estimate: the project reports them as indirect recipients."),
    )

    def __init__(self, *args, offer: AdvisoryOffer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.choice_field("topics").choices = _topic_choices(offer)

    def clean_participants(self) -> list[Participant]:
        people = []
        lines = [
            line.strip() for line in self.cleaned_data["participants"].splitlines()
        ]
        for number, line in enumerate(filter(None, lines), start=1):
            name, _sep, institution = line.partition(";")
            if not name.strip() or not institution.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write the name, a semicolon, the institution.")
                    % {"number": number}
                )
            people.append(Participant(name.strip(), institution.strip()))
        if len(people) > GROUP_MAX - 1:
            raise forms.ValidationError(
                _("A group has at most %(max)s people with you.") % {"max": GROUP_MAX}
            )
        return people

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            topics=data["topics"],
            form=data["form"],
            mode=data["mode"],
            preferred_dates=data["preferred_dates"],
            place=data["place"],
            participants=data["participants"],
            indirect_recipients=data["indirect_recipients"],
        )


class CoordinatorRequestForm(AdvisoryRequestForm):
    """A request that came by phone or e-mail, typed in by the coordinator."""

    trainee = forms.ModelChoiceField(
        label=_("Person asking"),
        queryset=TraineeProfile.objects.select_related("institution").order_by(
            "last_name", "first_name"
        ),
        help_text=_("Not on the list? Add the trainee first (Training → Trainees)."),
    )
    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[
            (RequestChannel.PHONE, RequestChannel.PHONE.label),
            (RequestChannel.EMAIL, RequestChannel.EMAIL.label),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["trainee", "channel"]


def advisers():
    """Everyone who may advise or coach: trainer profiles of advisers and trainers."""
    groups = Group.objects.filter(name__in=[ADVISER, TRAINER])
    return (
        TrainerProfile.objects.filter(user__groups__in=groups)
        .distinct()
        .order_by("name")
    )


class AssignForm(_Form):
    adviser = forms.ModelChoiceField(
        label=_("Adviser"), queryset=TrainerProfile.objects
    )

    def __init__(self, *args, coaching: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["adviser"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = advisers()
        if coaching:
            field.label = _("Coach")


class BookForm(_Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("End"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place or link"), required=False, max_length=300)


class RecordForm(_Form):
    mode = forms.ChoiceField(
        label=_("How the meeting was held"),
        choices=AdvisoryMode.choices,
        widget=forms.RadioSelect,
    )
    requester_present = forms.BooleanField(
        label=_("The person who asked was present"), required=False
    )
    attendees = forms.MultipleChoiceField(
        label=_("Other participants present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics discussed"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the topics discussed.")},
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, request: AdvisoryRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("topics").choices = _topic_choices(request.offer)
        names = [p["name"] for p in request.participants]
        self.choice_field("attendees").choices = [(name, name) for name in names]
        if not names:
            del self.fields["attendees"]
