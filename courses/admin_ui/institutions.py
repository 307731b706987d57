"""Trainees' proposed changes to shared institutions: a coordinator confirms or rejects."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.ui.tables import StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView

from ..models import InstitutionChange
from ..services.profiles import institution_change_confirm, institution_change_reject
from .base import InspectWithActionsViewSet, ObjectFormView, column
from .forms import ConfirmForm


class InstitutionChangeIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("institution", "proposed_by", "voivodeship")
        )


class InstitutionChangeInspectView(InspectView):
    template_name = "courses/admin/institution_change_inspect.html"
    actions_url_namespace = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.object
        institution = change.institution
        rows = []
        for name in InstitutionChange.FIELDS:
            field = InstitutionChange._meta.get_field(name)
            current, proposed = getattr(institution, name), getattr(change, name)
            if name == "type":
                current = institution.get_type_display()
                proposed = change.get_type_display()
            rows.append(
                (
                    field.verbose_name,
                    current or "–",
                    proposed or "–",
                    current != proposed,
                )
            )
        context.update(
            change=change,
            comparison=rows,
            sharing=institution.trainees.count(),
            pending=change.status == InstitutionChange.Status.PENDING
            and self.user_has_permission("change"),
            confirm_url=reverse(
                f"{self.actions_url_namespace}:confirm", args=[change.pk]
            ),
            reject_url=reverse(
                f"{self.actions_url_namespace}:reject", args=[change.pk]
            ),
        )
        return context


class InstitutionChangeActionView(ObjectFormView):
    model = InstitutionChange
    form_class = ConfirmForm

    def get_object(self):
        return get_object_or_404(
            InstitutionChange.objects.select_related("institution"),
            pk=self.kwargs["pk"],
        )

    def get_intro(self):
        count = self.object.institution.trainees.count()
        return ngettext(
            "%(count)s trainee works at %(name)s; the change concerns them.",
            "%(count)s trainees work at %(name)s; the change concerns all of them.",
            count,
        ) % {
            "count": self.object.institution.trainees.count(),
            "name": self.object.institution.name,
        }


class InstitutionChangeConfirmView(InstitutionChangeActionView):
    page_title = gettext_lazy("Confirm the institution's new data")
    submit_label = gettext_lazy("Confirm the change")

    def perform(self, form):
        institution_change_confirm(change=self.object, actor=self.request.user)
        return _("The data of %(name)s are changed.") % {"name": self.object.name}


class InstitutionChangeRejectView(InstitutionChangeActionView):
    page_title = gettext_lazy("Reject the proposed change")
    submit_label = gettext_lazy("Reject the change")
    destructive = True

    def perform(self, form):
        institution_change_reject(change=self.object, actor=self.request.user)
        return _("The change is rejected; %(name)s keeps its data.") % {
            "name": self.object.institution.name
        }


class InstitutionChangeViewSet(InspectWithActionsViewSet):
    model = InstitutionChange
    name = "training_institution_changes"
    icon = "edit"
    menu_label = gettext_lazy("Institution changes")
    index_view_class = InstitutionChangeIndexView
    inspect_view_class = InstitutionChangeInspectView
    list_filter = ["status"]
    search_fields = ["name", "institution__name", "proposed_by__last_name"]
    list_display = [
        column(
            "institution",
            gettext_lazy("institution"),
            kind=TitleColumn,
            get_url=lambda c: reverse(
                "training_institution_changes:inspect", args=[c.pk]
            ),
            accessor="institution.name",
        ),
        column("name", gettext_lazy("proposed name")),
        column("proposed_by", gettext_lazy("proposed by")),
        column(
            "status",
            gettext_lazy("status"),
            kind=StatusTagColumn,
            accessor="get_status_display",
            primary=lambda c: c.status == InstitutionChange.Status.PENDING,
        ),
        column("created_at", gettext_lazy("proposed")),
    ]
    ACTIONS = {
        "confirm": InstitutionChangeConfirmView,
        "reject": InstitutionChangeRejectView,
    }

    @property
    def url_prefix(self):
        return "training/institution-changes"
