from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .content_language import mark_content_choices
from .models import (
    Gender,
    Institution,
    InstitutionType,
    ParticipantRecord,
    Position,
    TraineeProfile,
)


class TraineeForm(forms.ModelForm):
    class Meta:
        model = TraineeProfile
        fields = [
            "first_name",
            "last_name",
            "gender",
            "position",
            "education",
            "phone",
            "pesel",
        ]
        widgets = {
            "gender": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "pesel": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }
        help_texts = {
            "pesel": _(
                "Optional. Needed only where the project's reporting requires it."
            ),
            "education": _(
                "Optional. The EU-funded project reports it in the participant's record."
            ),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", "—"), *Position.choices]
        self.fields["gender"].choices = Gender.choices

    def validate_unique(self):
        # The institution is set by the service; only PESEL uniqueness matters here.
        try:
            self.instance.validate_unique(exclude=["user", "institution"])
        except forms.ValidationError as error:
            self._update_errors(error)


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "type",
            "voivodeship",
            "county",
            "municipality",
            "regon",
            "nip",
        ]
        labels = {"name": _("Name of your institution")}
        help_texts = {
            "regon": _("Optional: 9 or 14 digits."),
            "nip": _("Optional: 10 digits, without hyphens."),
        }
        widgets = {
            "regon": forms.TextInput(attrs={"inputmode": "numeric"}),
            "nip": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "institution")
        super().__init__(*args, **kwargs)
        mark_content_choices(self)
        self.fields["type"].choices = [("", "—"), *InstitutionType.choices]
        self.fields["voivodeship"].empty_label = "—"

    def validate_unique(self):
        # An institution with this REGON is reused, not an error.
        pass


class ScanUploadForm(forms.Form):
    """One signed scan (declaration, attendance list): the service checks its content."""

    file = forms.FileField(
        help_text=_("PDF, JPEG or PNG, up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
        error_messages={"required": _("Choose a file to send.")},
    )

    def __init__(self, *args, label, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label


class ConsentsForm(forms.Form):
    """One optional checkbox per consent purpose, with the newest wording as label.

    Never required: none of them is a condition of taking part in a project.
    """

    def __init__(self, *args, texts, answers=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.texts = {f"consent_{text.pk}": text for text in texts}
        answers = answers or {}
        for name, text in self.texts.items():
            record = answers.get(text.purpose_id)
            self.fields[name] = forms.BooleanField(
                label=text.text,
                required=False,
                initial=bool(record and record.given and record.text_id == text.pk),
                help_text=_("%(purpose)s · version %(version)s of %(date)s")
                % {
                    "purpose": escape(text.purpose.name),
                    "version": text.version,
                    "date": text.published_at.strftime("%d.%m.%Y"),
                },
            )

    def decisions(self) -> dict[int, bool]:
        return {text.pk: self.cleaned_data[name] for name, text in self.texts.items()}


RECORD_QUESTIONS = [
    "disability",
    "minority",
    "foreign_origin",
    "third_country",
    "homeless",
    "household_jobless",
    "household_children",
    "single_adult_household",
    "other_disadvantage",
]


class ParticipantRecordForm(forms.ModelForm):
    """The funder's participant record: asked once, each question with a refusal."""

    class Meta:
        model = ParticipantRecord
        fields = [
            "no_pesel",
            "country",
            "birth_date",
            "citizenship",
            "home_voivodeship",
            "home_county",
            "home_municipality",
            "home_town",
            "home_postcode",
            "home_street",
            "home_building",
            "home_flat",
            "degurba",
            "labour_status",
            "labour_detail",
            "occupation",
            *RECORD_QUESTIONS,
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "home_postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "home_town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "home_street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            **dict.fromkeys(RECORD_QUESTIONS, forms.RadioSelect),
        }
        help_texts = {
            "degurba": _(
                "The statistical office's class of your municipality. The platform "
                "has no verified list of municipalities with their class: the "
                "project's coordinator checks it."
            ),
            "home_street": _("Leave empty where the town has no streets."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "record")
        super().__init__(*args, **kwargs)
        mark_content_choices(self)
        for name in RECORD_QUESTIONS:
            self.fields[name].choices = [
                c for c in self.fields[name].choices if c[0] != ""
            ]
        self.fields["home_voivodeship"].empty_label = "—"

    def validate_unique(self):
        # The record is the trainee's own: the service sets its trainee.
        pass


class GroupMessageForm(forms.Form):
    """A message to the group: the service sends it and keeps it in the log."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
