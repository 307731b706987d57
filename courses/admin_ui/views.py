"""Admin views for coordinators: they call the services and report what happened."""

from django import forms as django_forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from .. import selectors, services
from ..errors import EnrolmentError, RuleError
from ..models import (
    Edition,
    Enrolment,
    EnrolmentStatus,
    MessageAudience,
    Project,
    Quota,
)
from ..services.communication import group_message_send, message_recipients
from . import forms
from .base import ObjectFormView
from .privacy import record_enrolment_view
from .selectors import enrolments_for_listing

Status = EnrolmentStatus

# Which actions to offer for a status. Only a hint for the screen: the services
# decide, and say why when they refuse.
OFFERED_ACTIONS = {
    Status.PENDING: ["declaration", "approve", "reject", "move", "withdraw"],
    Status.CONFIRMED: ["declaration", "move", "withdraw"],
    Status.WAITLISTED: ["declaration", "reject", "withdraw"],
}


class PrefilledCreateView(CreateView):
    """Create view that takes initial values from the query, e.g. ?project=3."""

    prefill_fields: tuple[str, ...] = ()

    def get_initial(self):
        initial = super().get_initial()
        for name in self.prefill_fields:
            if value := self.request.GET.get(name):
                initial[name] = value
        return initial


class RefusalOnFormMixin:
    """A service's refusal while saving goes on the form, next to what to correct."""

    refusal_field: str | None = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EnrolmentError as error:
            if form.instance._state.adding:
                form.instance.pk = None  # the row was rolled back
            form.add_error(self.refusal_field, error.message)
            return self.form_invalid(form)


class QuotaCreateView(RefusalOnFormMixin, PrefilledCreateView):
    prefill_fields = ("project",)
    refusal_field = "voivodeships"


class QuotaEditView(RefusalOnFormMixin, EditView):
    refusal_field = "voivodeships"
    size_url_name = ""

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Change the number of places in the quota"),
                url=reverse(self.size_url_name, args=[self.object.pk]),
                icon_name="group",
                priority=5,
            ),
            *super().header_more_buttons,
        ]


class EnrolmentIndexView(IndexView):
    table_classname = "listing training-listing"

    def get_base_queryset(self):
        return enrolments_for_listing(enrolments=super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        # The name already opens the enrolment; there is nothing else to offer here.
        return []


class EnrolmentInspectView(InspectView):
    template_name = "courses/admin/enrolment_inspect.html"
    page_title = gettext_lazy("Enrolment")
    actions_url_namespace = ""

    def get_object(self, queryset=None):
        return get_object_or_404(
            Enrolment.objects.select_related(
                "trainee__user",
                "trainee__institution",
                "edition__course",
                "edition__project",
                "voivodeship",
                "quota",
            ),
            pk=self.pk,
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_enrolment_view(request=request, enrolment=self.object)
        return response

    def get_actions(self) -> list[dict]:
        if not self.user_has_permission("change"):
            return []
        labels = {
            "declaration": _("Mark the declaration received on paper"),
            "approve": _("Approve"),
            "reject": _("Reject"),
            "move": _("Move to another edition"),
            "withdraw": _("Withdraw"),
        }
        offered = OFFERED_ACTIONS.get(self.object.status, [])
        if self.object.has_declaration:
            offered = [name for name in offered if name != "declaration"]
        actions = []
        for name in offered:
            missing = self.approval_missing() if name == "approve" else ""
            actions.append(
                {
                    "name": name,
                    "label": labels[name],
                    "url": reverse(
                        f"{self.actions_url_namespace}:{name}", args=[self.object.pk]
                    ),
                    # Actions without questions are one POST; the others ask first.
                    "direct": name in ("declaration", "approve"),
                    # Offered only when possible; otherwise the button says why not.
                    "missing": missing,
                }
            )
        return actions

    def approval_missing(self) -> str:
        """What approval waits for, in the words of the button; "" when possible."""
        if not self.object.has_declaration:
            return _("Approve: the signed declaration has not arrived yet")
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolment"] = self.object
        context["events"] = self.object.events.select_related("actor")
        context["waitlist_position"] = selectors.waitlist_position(
            enrolment=self.object
        )
        context["actions"] = self.get_actions()
        return context


class EnrolmentActionView(ObjectFormView):
    model = Enrolment
    form_class: type[django_forms.Form] = forms.ConfirmForm
    # Without questions to answer, a refusal goes back to the enrolment it is about.
    back_on_error = True

    def get_object(self):
        return get_object_or_404(
            Enrolment.objects.select_related(
                "trainee", "edition__course", "edition__project"
            ),
            pk=self.kwargs["pk"],
        )

    def form_valid(self, form):
        if not self.back_on_error:
            return super().form_valid(form)
        try:
            message = self.perform(form)
        except RuleError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, message)
        return redirect(self.get_back_url())


class EnrolmentApproveView(EnrolmentActionView):
    page_title = gettext_lazy("Approve the enrolment")
    submit_label = gettext_lazy("Approve")
    intro = gettext_lazy(
        "The trainee's place becomes confirmed. Check the signed declaration first."
    )

    def perform(self, form):
        services.enrolment_approve(enrolment=self.object, actor=self.request.user)
        return _("Enrolment of %(trainee)s approved.") % {
            "trainee": self.object.trainee
        }


class EnrolmentDeclarationView(EnrolmentActionView):
    page_title = gettext_lazy("Declaration received on paper")
    submit_label = gettext_lazy("Mark the declaration received on paper")
    intro = gettext_lazy(
        "Record that the signed declaration of this trainee arrived on paper today."
    )

    def perform(self, form):
        services.enrolment_mark_declaration_received(
            enrolment=self.object, actor=self.request.user
        )
        return _("Declaration of %(trainee)s marked as received on paper.") % {
            "trainee": self.object.trainee
        }


class EnrolmentRejectView(EnrolmentActionView):
    form_class = forms.RejectForm
    back_on_error = False
    page_title = gettext_lazy("Reject the enrolment")
    submit_label = gettext_lazy("Reject")
    destructive = True

    def get_intro(self):
        return _(
            "%(trainee)s loses the application for %(edition)s at once and receives "
            "an e-mail with the reason given below. The place is freed and goes to "
            "the first person on the waiting list. This cannot be undone: the trainee "
            "would have to apply again."
        ) % {"trainee": self.object.trainee, "edition": self.object.edition.code}

    def perform(self, form):
        services.enrolment_reject(
            enrolment=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return _("Enrolment of %(trainee)s rejected.") % {
            "trainee": self.object.trainee
        }

    def error_field(self, error):
        return "reason" if error.code == "reason_required" else None


class EnrolmentWithdrawView(EnrolmentActionView):
    form_class = forms.WithdrawForm
    back_on_error = False
    page_title = gettext_lazy("Withdraw the trainee")
    submit_label = gettext_lazy("Withdraw")
    destructive = True

    def get_intro(self):
        return _(
            "%(trainee)s leaves %(edition)s at once and receives an e-mail. The place "
            "goes to the first person on the waiting list. This cannot be undone: the "
            "trainee would have to apply again."
        ) % {"trainee": self.object.trainee, "edition": self.object.edition.code}

    def perform(self, form):
        services.enrolment_withdraw(
            enrolment=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            by_coordinator=True,
        )
        return _("%(trainee)s withdrawn from %(edition)s.") % {
            "trainee": self.object.trainee,
            "edition": self.object.edition.code,
        }


class EnrolmentMoveView(EnrolmentActionView):
    form_class = forms.MoveForm
    back_on_error = False
    page_title = gettext_lazy("Move to another edition")
    submit_label = gettext_lazy("Move")
    intro = gettext_lazy(
        "The trainee keeps their quota place and takes a seat in the chosen edition "
        "of the same project; the seat freed here goes to the waiting list."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        editions = Edition.objects.filter(
            project_id=self.object.edition.project_id
        ).exclude(pk=self.object.edition_id)
        kwargs["editions"] = selectors.editions_with_seats(
            editions=editions.select_related("course")
        )
        return kwargs

    def perform(self, form):
        moved = services.enrolment_move(
            enrolment=self.object,
            to_edition=form.cleaned_data["to_edition"],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        self.moved = moved
        return _("%(trainee)s moved to %(edition)s.") % {
            "trainee": self.object.trainee,
            "edition": moved.edition.code,
        }

    def get_success_url(self):
        # The new enrolment carries on; show it.
        return reverse(self.back_url_name, args=[self.moved.pk])


class EditionCapacityView(ObjectFormView):
    model = Edition
    form_class = forms.CapacityForm
    page_title = gettext_lazy("Change the number of seats")
    submit_label = gettext_lazy("Change the number of seats")

    def get_object(self):
        return get_object_or_404(
            Edition.objects.select_related("course"), pk=self.kwargs["pk"]
        )

    @cached_property
    def seats(self):
        return selectors.edition_seats(edition=self.object)

    def get_initial(self):
        return {"capacity": self.object.capacity}

    def get_intro(self):
        return _(
            "Seats: %(capacity)s, taken: %(taken)s, on the waiting list: %(waiting)s. "
            "More seats give places to the waiting list at once."
        ) % {
            "capacity": self.seats.capacity,
            "taken": self.seats.taken,
            "waiting": self.seats.waiting,
        }

    def perform(self, form):
        capacity = form.cleaned_data["capacity"]
        waiting_before = self.seats.waiting
        services.edition_set_capacity(
            edition=self.object, capacity=capacity, actor=self.request.user
        )
        waiting_after = selectors.edition_seats(edition=self.object).waiting
        promoted = waiting_before - waiting_after
        message = _("Seats of %(edition)s set to %(capacity)s.") % {
            "edition": self.object.code,
            "capacity": capacity,
        }
        if promoted > 0:
            message += " " + ngettext(
                "%(count)s person from the waiting list got a place.",
                "%(count)s people from the waiting list got a place.",
                promoted,
            ) % {"count": promoted}
        return message


class QuotaSizeView(ObjectFormView):
    model = Quota
    form_class = forms.QuotaSizeForm
    page_title = gettext_lazy("Change the number of places in the quota")
    submit_label = gettext_lazy("Change the number of places in the quota")

    def get_object(self):
        return get_object_or_404(
            Quota.objects.select_related("project"), pk=self.kwargs["pk"]
        )

    def _fill(self) -> selectors.QuotaFill:
        fills = selectors.quota_fill(project=self.object.project)
        return next(fill for fill in fills if fill.quota.pk == self.object.pk)

    @cached_property
    def fill(self) -> selectors.QuotaFill:
        return self._fill()

    def get_initial(self):
        return {"size": self.object.size}

    def get_intro(self):
        return _(
            "Places: %(size)s, held by: %(used)s, on the waiting list: %(waiting)s. "
            "More places give them to the waiting list at once."
        ) % {
            "size": self.object.size,
            "used": self.fill.used,
            "waiting": self.fill.waiting,
        }

    def perform(self, form):
        size = form.cleaned_data["size"]
        waiting_before = self.fill.waiting
        services.quota_set_size(quota=self.object, size=size, actor=self.request.user)
        promoted = waiting_before - self._fill().waiting
        message = _("Places of %(quota)s set to %(size)s.") % {
            "quota": self.object.name,
            "size": size,
        }
        if promoted > 0:
            message += " " + ngettext(
                "%(count)s person from the waiting list got a place.",
                "%(count)s people from the waiting list got a place.",
                promoted,
            ) % {"count": promoted}
        return message

    def error_field(self, error):
        return "size" if error.code == "size_below_used" else None


class FillReportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Quota fill and edition seats per project."""

    model = Enrolment
    any_permission_required = ["view", "change"]
    template_name = "courses/admin/fill_report.html"
    page_title = gettext_lazy("Quota and group fill")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = [
            {
                "project": project,
                "quotas": selectors.quota_fill(project=project),
                "editions": selectors.editions_with_seats(
                    editions=project.editions.select_related("course").order_by(
                        "start_date", "code"
                    )
                ),
            }
            for project in Project.objects.all()
        ]
        return context


class EditionEditView(EditView):
    capacity_url_name = ""
    message_url_name = ""

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Change the number of seats"),
                url=reverse(self.capacity_url_name, args=[self.object.pk]),
                icon_name="group",
                priority=5,
            ),
            Button(
                _("Send a message"),
                url=reverse(self.message_url_name, args=[self.object.pk]),
                icon_name="mail",
                priority=6,
            ),
            *super().header_more_buttons,
        ]


class EditionMessageView(ObjectFormView):
    """A message to an edition's group or its waiting list, logged with the edition."""

    model = Edition
    form_class = forms.EditionMessageForm
    template_name = "courses/admin/edition_message.html"
    page_title = gettext_lazy("Send a message")
    submit_label = gettext_lazy("Send")

    def get_object(self):
        return get_object_or_404(
            Edition.objects.select_related("course", "project"), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        audience = self.request.GET.get("audience")
        return {"audience": audience} if audience in MessageAudience.values else {}

    def get_intro(self):
        group = len(
            message_recipients(edition=self.object, audience=MessageAudience.GROUP)
        )
        waiting = len(
            message_recipients(
                edition=self.object, audience=MessageAudience.WAITING_LIST
            )
        )
        return _(
            "Each person gets their own e-mail; replies come to your address. In the "
            "group: %(group)s, on the waiting list: %(waiting)s. Every message is "
            "kept below with its recipients."
        ) % {"group": group, "waiting": waiting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sent"] = self.object.messages.select_related("sender")[:50]
        return context

    def perform(self, form):
        sent = group_message_send(
            edition=self.object,
            audience=form.cleaned_data["audience"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            sender=self.request.user,
        )
        return ngettext(
            "The message is sent to %(count)s person.",
            "The message is sent to %(count)s people.",
            len(sent.recipients),
        ) % {"count": len(sent.recipients)}

    def get_success_url(self):
        return self.request.path

    def error_field(self, error):
        return None
