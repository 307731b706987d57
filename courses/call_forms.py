"""Forms of a call: the application with a field per criterion, the manual points."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.recruitment import Call, CriterionKind, LocalAuthorityKind
from .services.recruitment import ApplicationForm

YES_NO = [("yes", _("yes")), ("no", _("no"))]


class CallApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), widget=forms.RadioSelect)
    authority = forms.CharField(
        label=_("County or municipality"),
        max_length=200,
        help_text=_("E.g. Powiat nowosolski, Gmina Kożuchów."),
    )
    institution = forms.CharField(
        label=_("Applying institution"),
        max_length=300,
        help_text=_("E.g. Starostwo Powiatowe w Nowej Soli, OPS w Kożuchowie."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: a PDF, JPEG or PNG up to 5 MB (e.g. the diagnosis)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, call: Call, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.call = call
        kinds = set(call.places.values_list("kind", flat=True))
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [c for c in LocalAuthorityKind.choices if c[0] in kinds]
        self.criteria = list(call.criteria.all())
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            if criterion.kind == CriterionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=criterion.name,
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Answer yes or no.")},
                )
            else:
                self.fields[name] = forms.DecimalField(
                    label=criterion.name,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    help_text=criterion.unit,
                    error_messages={"required": _("Give the number.")},
                )
        # The attachment last, after the criteria.
        self.fields["attachment"] = self.fields.pop("attachment")

    def application(self) -> ApplicationForm:
        data = self.cleaned_data
        answers: dict[int, object] = {}
        for criterion in self.criteria:
            value = data[f"criterion_{criterion.pk}"]
            answers[criterion.pk] = value == "yes" if isinstance(value, str) else value
        return ApplicationForm(
            kind=data["kind"],
            authority=data["authority"],
            institution=data["institution"],
            contact_phone=data["contact_phone"],
            answers=answers,
            attachments=[data["attachment"]] if data.get("attachment") else [],
        )


class ManualPointsForm(forms.Form):
    points = forms.DecimalField(
        label=_("Manual points"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal(0),
        min_value=-100,
        max_value=100,
    )
    reason = forms.CharField(label=_("Justification"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
