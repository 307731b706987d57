"""Forms of the coordinator's admin: they collect input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .. import services
from ..models import Edition, InstitutionType, MessageAudience, Position


class EligibilityRuleForm(WagtailAdminModelForm):
    """Institution types and positions as ticked boxes, stored as lists of values."""

    institution_types = forms.MultipleChoiceField(
        label=_("institution types"),
        choices=InstitutionType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to admit any institution type."),
    )
    positions = forms.MultipleChoiceField(
        label=_("positions"),
        choices=Position.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to admit any position."),
    )


class QuotaForm(WagtailAdminModelForm):
    """The quota service checks and saves the voivodeships, and the rest with them."""

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project") or getattr(self.instance, "project", None)
        voivodeships = cleaned.get("voivodeships")
        if project is not None and voivodeships is not None:
            for problem in services.quota_voivodeships_problems(
                project=project, voivodeships=voivodeships, quota=self.instance
            ):
                self.add_error("voivodeships", problem)
        return cleaned

    def save(self, commit=True):
        return services.quota_save(
            quota=self.instance,
            voivodeships=self.cleaned_data["voivodeships"],
            actor=self.for_user,
        )


class QuotaSizeForm(forms.Form):
    size = forms.IntegerField(label=_("places (persons)"), min_value=0)


class ConfirmForm(forms.Form):
    """An action with nothing to ask: the button is the confirmation."""


class RejectForm(forms.Form):
    # Not required here: the service says why an empty reason is refused.
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "required": True}),
        help_text=_("The trainee will read this reason."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(edition)s, from %(start)s, free seats: %(left)s") % {
            "edition": obj,
            "start": obj.start_date.strftime("%d.%m.%Y"),
            "left": obj.seats.left,
        }


class MoveForm(forms.Form):
    to_edition = EditionChoiceField(
        label=_("Target edition"),
        queryset=Edition.objects.none(),
        empty_label=None,
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, editions, **kwargs):
        """`editions` are (edition, seats) pairs, as the selector gives them."""
        super().__init__(*args, **kwargs)
        for edition, seats in editions:
            edition.seats = seats
        by_pk = {edition.pk: edition for edition, _seats in editions}
        field = self.fields["to_edition"]
        field.queryset = Edition.objects.filter(pk__in=by_pk)
        # Labels show seats counted once by the selector, not once per option.
        field.choices = [(pk, field.label_from_instance(e)) for pk, e in by_pk.items()]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("seats"), min_value=0)


class EditionMessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("recipients"),
        choices=MessageAudience.choices,
        widget=forms.RadioSelect,
        initial=MessageAudience.GROUP,
    )
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(
        label=_("message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
