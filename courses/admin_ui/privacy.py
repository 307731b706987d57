"""Admin screens that show personal data record who looked; the access log itself."""

from __future__ import annotations

import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from ..models import (
    AccessAction,
    AccessEvent,
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    ErasureRequest,
    InformationClause,
    TraineeProfile,
)
from ..services.access import access_record
from ..services.privacy import clause_publish, consent_text_publish

REVEAL_PERMISSION = "courses.reveal_pesel"


class TraineeInspectView(InspectView):
    """A trainee's page: recorded as a view; the PESEL masked unless revealed (POST)."""

    template_name = "courses/admin/trainee_inspect.html"
    http_method_names = ["get", "post"]
    revealed = False

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_record(
            actor=request.user,
            action=AccessAction.VIEW,
            what=_("Trainee's page in the admin: %(name)s") % {"name": self.object},
            trainees=[self.object],
            path=request.path,
        )
        return response

    def post(self, request, *args, **kwargs):
        if "reveal_pesel" not in request.POST or not request.user.has_perm(
            REVEAL_PERMISSION
        ):
            raise PermissionDenied
        self.revealed = True
        access_record(
            actor=request.user,
            action=AccessAction.REVEAL_PESEL,
            what=_("PESEL number of %(name)s") % {"name": self.object},
            trainees=[self.object],
            path=request.path,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trainee"] = self.object
        context["revealed"] = self.revealed
        context["may_reveal"] = self.request.user.has_perm(REVEAL_PERMISSION)
        return context


class TraineeEditView(EditView):
    """The edit form shows personal data too: each opening is recorded."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_record(
            actor=request.user,
            action=AccessAction.VIEW,
            what=_("Trainee's edit form in the admin: %(name)s")
            % {"name": self.object},
            trainees=[self.object],
            path=request.path,
        )
        return response


def record_enrolment_view(*, request, enrolment) -> None:
    access_record(
        actor=request.user,
        action=AccessAction.VIEW,
        what=_("Enrolment in the admin: %(name)s, %(edition)s")
        % {"name": enrolment.trainee, "edition": enrolment.edition.code},
        trainees=[enrolment.trainee_id],
        path=request.path,
    )


class AccessEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        choices=AccessAction.choices, label=gettext_lazy("action")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("when"), widget=DateRangePickerWidget
    )
    role = django_filters.CharFilter(
        lookup_expr="icontains", label=gettext_lazy("role")
    )
    organisation = django_filters.CharFilter(
        lookup_expr="icontains", label=gettext_lazy("organisation")
    )
    who = django_filters.CharFilter(
        method="filter_who", label=gettext_lazy("who (e-mail or name)")
    )
    trainee = django_filters.CharFilter(
        method="filter_trainee", label=gettext_lazy("whose data (name or e-mail)")
    )

    class Meta:
        model = AccessEvent
        fields = ["action", "created_at", "role", "organisation", "who", "trainee"]

    def filter_who(self, queryset, name, value):
        return queryset.filter(
            Q(user__email__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )

    def filter_trainee(self, queryset, name, value):
        people = TraineeProfile.objects.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(user__email__icontains=value)
        )
        return queryset.filter(trainees__in=people).distinct()


class AccessEventIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")

    def get_list_more_buttons(self, instance):
        # The date already opens the entry; there is nothing else to offer.
        return []


def _who(event: AccessEvent) -> str:
    if event.user is None:
        return _("system")
    return event.user.get_full_name() or event.user.email or event.user.username


class AccessEventViewSet(ModelViewSet):
    """Every recorded access to personal data: read-only, for coordinators."""

    model = AccessEvent
    name = "privacy_access_log"
    url_prefix = "privacy/access-log"
    icon = "view"
    menu_label = gettext_lazy("Access log")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    index_view_class = AccessEventIndexView
    filterset_class = AccessEventFilterSet
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    list_display = [
        TitleColumn(
            "created_at",
            label=gettext_lazy("When"),
            sort_key="created_at",
            get_url=lambda event: reverse(
                "privacy_access_log:inspect", args=[event.pk]
            ),
        ),
        Column("user", label=gettext_lazy("Who"), accessor=_who),
        "role",
        "organisation",
        "action",
        "what",
        Column("trainee_count", label=gettext_lazy("People")),
    ]
    inspect_view_fields = [
        "created_at",
        "user",
        "role",
        "organisation",
        "action",
        "what",
        "path",
        "trainees",
        "trainee_count",
    ]
    form_fields: list[str] = []  # nobody edits the log


class NewVersionCreateView(CreateView):
    """Publishing a new version through the service; ?from=<pk> starts from an old one."""

    copied: tuple[str, ...] = ()

    def get_initial(self):
        initial = super().get_initial()
        source = self.request.GET.get("from", "")
        if source.isdigit():
            old = self.model.objects.filter(pk=int(source)).first()
            if old is not None:
                initial.update(
                    {
                        name: getattr(old, f"{name}_id", None) or getattr(old, name)
                        for name in self.copied
                    }
                )
        return initial


class ClauseCreateView(NewVersionCreateView):
    copied = ("project", *InformationClause.SECTIONS)

    def save_instance(self):
        data = self.form.cleaned_data
        return clause_publish(
            project=data.get("project"),
            sections={name: data.get(name, "") for name in InformationClause.SECTIONS},
            actor=self.request.user,
        )


class ConsentTextCreateView(NewVersionCreateView):
    copied = ("purpose", "text")

    def save_instance(self):
        data = self.form.cleaned_data
        return consent_text_publish(
            purpose=data["purpose"], text=data["text"], actor=self.request.user
        )


class _NewVersionIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                ListingButton(
                    _("New version from this one"),
                    f"{reverse(self.add_url_name)}?from={instance.pk}",
                    icon_name="copy",
                    priority=30,
                )
            )
        return buttons


class InformationClauseViewSet(ModelViewSet):
    """Versions of the information clauses: each saved version stays as published."""

    model = InformationClause
    name = "privacy_clauses"
    url_prefix = "privacy/clauses"
    icon = "doc-full"
    menu_label = gettext_lazy("Information clauses")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    add_view_class = ClauseCreateView
    index_view_class = _NewVersionIndexView
    list_display = ["__str__", "project", "version", "published_at", "published_by"]
    list_filter = ["project"]
    form_fields = ["project", *InformationClause.SECTIONS]
    inspect_view_fields = [
        "project",
        "version",
        *InformationClause.SECTIONS,
        "published_at",
        "published_by",
    ]


class ConsentPurposeViewSet(ModelViewSet):
    model = ConsentPurpose
    name = "privacy_consent_purposes"
    url_prefix = "privacy/consent-purposes"
    icon = "tick-inverse"
    menu_label = gettext_lazy("Consent purposes")
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["name", "code", "is_active", "order"]
    form_fields = ["name", "code", "is_active", "order"]


class ConsentTextViewSet(ModelViewSet):
    """Versions of the consents' wording; a new one asks again those who gave the old."""

    model = ConsentText
    name = "privacy_consent_texts"
    url_prefix = "privacy/consent-texts"
    icon = "edit"
    menu_label = gettext_lazy("Consent texts")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    add_view_class = ConsentTextCreateView
    index_view_class = _NewVersionIndexView
    list_display = ["__str__", "purpose", "version", "published_at"]
    list_filter = ["purpose"]
    form_fields = ["purpose", "text"]
    inspect_view_fields = ["purpose", "version", "text", "published_at", "published_by"]


class ConsentRecordViewSet(ModelViewSet):
    """Who gave or withdrew which consent, when and how: read-only."""

    model = ConsentRecord
    name = "privacy_consent_records"
    url_prefix = "privacy/consents"
    icon = "list-ul"
    menu_label = gettext_lazy("Consents given")
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["user__email"]
    list_display = [
        Column("user", label=gettext_lazy("Who"), accessor="user.email"),
        "text",
        "given",
        "how",
        "at",
    ]
    list_filter = ["text__purpose", "given", "how"]
    form_fields: list[str] = []


class ErasureRequestViewSet(ModelViewSet):
    """Who asked for erasure, what went at once, what is kept until when: read-only."""

    model = ErasureRequest
    name = "privacy_erasure_requests"
    url_prefix = "privacy/erasure"
    icon = "bin"
    menu_label = gettext_lazy("Erasure requests")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_display = ["__str__", "trainee", "kept_until", "completed_at"]
    inspect_view_fields = [
        "requested_at",
        "trainee",
        "erased",
        "kept",
        "kept_until",
        "completed_at",
    ]
    form_fields: list[str] = []


def _tracked_types(request=None):
    from auditlog.registry import auditlog

    return ContentType.objects.filter(
        pk__in=[
            ContentType.objects.get_for_model(model).pk
            for model in auditlog.get_models()
        ]
    )


# django-auditlog has no Polish catalogue: its words are said here, in ours.
HISTORY_ACTIONS = {
    LogEntry.Action.CREATE: gettext_lazy("added"),
    LogEntry.Action.UPDATE: gettext_lazy("changed"),
    LogEntry.Action.DELETE: gettext_lazy("deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("viewed"),
}
HISTORY_LABELS = {
    "timestamp": gettext_lazy("When"),
    "actor": gettext_lazy("Who"),
    "content_type": gettext_lazy("What"),
    "object_repr": gettext_lazy("Whose data"),
    "action": gettext_lazy("Action"),
    "changes": gettext_lazy("Changes"),
    "remote_addr": gettext_lazy("IP address"),
}


class ChangeHistoryFilterSet(WagtailFilterSet):
    content_type = django_filters.ModelChoiceFilter(
        queryset=_tracked_types, label=gettext_lazy("what")
    )
    action = django_filters.ChoiceFilter(
        choices=list(HISTORY_ACTIONS.items()), label=gettext_lazy("action")
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("when"), widget=DateRangePickerWidget
    )
    who = django_filters.CharFilter(
        method="filter_who", label=gettext_lazy("who (e-mail or name)")
    )
    object_repr = django_filters.CharFilter(
        lookup_expr="icontains", label=gettext_lazy("whose data (name or e-mail)")
    )

    class Meta:
        model = LogEntry
        fields = ["content_type", "action", "timestamp", "who", "object_repr"]

    def filter_who(self, queryset, name, value):
        return queryset.filter(
            Q(actor__email__icontains=value)
            | Q(actor__first_name__icontains=value)
            | Q(actor__last_name__icontains=value)
        )


class ChangeHistoryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "content_type")

    def get_list_more_buttons(self, instance):
        return []


class ChangeHistoryInspectView(InspectView):
    def get_field_label(self, field_name, field):
        return HISTORY_LABELS.get(field_name) or super().get_field_label(
            field_name, field
        )

    def get_action_display_value(self):
        return HISTORY_ACTIONS.get(self.object.action, self.object.action)

    def get_changes_display_value(self):
        return _changes(self.object) or "-"

    def get_actor_display_value(self):
        return _changed_by(self.object)


def _action(entry: LogEntry) -> str:
    return str(HISTORY_ACTIONS.get(entry.action, entry.action))


def _changed_by(entry: LogEntry) -> str:
    if entry.actor is None:
        return _("system")
    return entry.actor.get_full_name() or entry.actor.email or entry.actor.username


def _changes(entry: LogEntry) -> str:
    return "; ".join(
        f"{field}: {' → '.join(str(value) for value in values)}"
        for field, values in entry.changes_display_dict.items()
    )


class ChangeHistoryViewSet(ModelViewSet):
    """Who changed which personal data, when, from what to what: read-only.

    Kept by django-auditlog (courses/history.py); PESEL is never recorded in it.
    """

    model = LogEntry
    name = "privacy_change_history"
    url_prefix = "privacy/change-history"
    icon = "history"
    menu_label = gettext_lazy("Change history")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    index_view_class = ChangeHistoryIndexView
    inspect_view_class = ChangeHistoryInspectView
    filterset_class = ChangeHistoryFilterSet
    list_per_page = 50
    ordering = ["-timestamp", "-id"]
    list_display = [
        TitleColumn(
            "timestamp",
            label=gettext_lazy("When"),
            sort_key="timestamp",
            get_url=lambda entry: reverse(
                "privacy_change_history:inspect", args=[entry.pk]
            ),
        ),
        Column("actor", label=gettext_lazy("Who"), accessor=_changed_by),
        Column("content_type", label=gettext_lazy("What")),
        Column("object_repr", label=gettext_lazy("Whose data")),
        Column("action", label=gettext_lazy("Action"), accessor=_action),
        Column("changes", label=gettext_lazy("Changes"), accessor=_changes),
    ]
    inspect_view_fields = [
        "timestamp",
        "actor",
        "content_type",
        "object_repr",
        "action",
        "changes",
        "remote_addr",
    ]
    form_fields: list[str] = []  # nobody edits the history


class PrivacyViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Personal data")
    menu_icon = "lock"
    menu_order = 206
    items = (
        AccessEventViewSet,
        ChangeHistoryViewSet,
        InformationClauseViewSet,
        ConsentPurposeViewSet,
        ConsentTextViewSet,
        ConsentRecordViewSet,
        ErasureRequestViewSet,
    )
