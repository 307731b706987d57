"""Admin screens of the "Training" menu: one viewset per model, grouped."""

from django import forms as django_forms
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import (
    AdvisoryOffer,
    AuthorisedInstitution,
    Call,
    CallPlaces,
    CompletionRule,
    Course,
    Criterion,
    Edition,
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    Institution,
    Macroregion,
    Project,
    Quota,
    Session,
    TraineeProfile,
    Voivodeship,
)
from . import privacy, views
from .base import InspectWithActionsViewSet, SinglePageViewSet, column
from .filters import EnrolmentFilterSet, TraineeFilterSet
from .forms import EligibilityRuleForm, QuotaForm
from .institutions import InstitutionChangeViewSet

CHECKBOXES = django_forms.CheckboxSelectMultiple


def _filtered_list(viewset_name: str, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"{reverse(f'{viewset_name}:index')}?{params}"


class TrainingViewSet(ModelViewSet):
    """Defaults shared by the screens of the Training menu."""

    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None  # plain database search: these models are not indexed

    @property
    def url_prefix(self):
        return "training/" + self.name.removeprefix("training_")


class ProjectIndexView(views.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Quotas"),
                _filtered_list("training_quotas", project=instance.pk),
                icon_name="group",
                priority=40,
            ),
            MenuItem(
                _("Eligibility rules"),
                _filtered_list("training_rules", project=instance.pk),
                icon_name="tasks",
                priority=41,
            ),
            MenuItem(
                _("Authorised institutions"),
                _filtered_list("training_authorised", project=instance.pk),
                icon_name="key",
                priority=41,
            ),
            MenuItem(
                _("Editions"),
                _filtered_list("training_editions", project=instance.pk),
                icon_name="date",
                priority=42,
            ),
            MenuItem(
                _("Enrolments"),
                _filtered_list("training_enrolments", project=instance.pk),
                icon_name="form",
                priority=43,
            ),
        ]


class ProjectViewSet(TrainingViewSet):
    model = Project
    name = "training_projects"
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Projects")
    index_view_class = ProjectIndexView
    list_display = ["name", "code", "start_date", "end_date", "requires_approval"]
    search_fields = ["name", "code"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("target_participants"),
                FieldPanel("monitoring_system"),
            ],
            heading=gettext_lazy("Project"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("funding_kind"),
                FieldPanel("programme"),
                FieldRowPanel([FieldPanel("priority_axis"), FieldPanel("measure")]),
                FieldRowPanel([FieldPanel("value"), FieldPanel("cofinancing")]),
                FieldPanel("funding_statement"),
            ],
            heading=gettext_lazy("Funding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("programme_mark"),
                FieldPanel("national_mark"),
                FieldPanel("region_mark"),
                FieldPanel("eu_mark"),
            ],
            heading=gettext_lazy("Funding marks"),
        ),
        MultiFieldPanel(
            [FieldPanel("requires_approval"), FieldPanel("pending_hold_days")],
            heading=gettext_lazy("Enrolment"),
        ),
        MultiFieldPanel(
            [FieldPanel("retention_until")],
            heading=gettext_lazy("Personal data"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel(
                    [FieldPanel("contact_email"), FieldPanel("contact_phone")]
                ),
            ],
            heading=gettext_lazy("Contact"),
        ),
    ]


QUOTA_PANELS = [
    FieldPanel("project"),
    FieldPanel("name"),
    FieldPanel("size"),
    FieldPanel(
        "voivodeships",
        widget=CHECKBOXES,
        help_text=gettext_lazy("A voivodeship can be in only one quota of a project."),
    ),
]


def _quota_panels_for_update():
    """The same panels, with the places read-only: they change through the service."""
    size = FieldPanel(
        "size",
        read_only=True,
        help_text=gettext_lazy(
            "Use “Change the number of places in the quota” in the menu above, so that "
            "new places go to the waiting list at once."
        ),
    )
    return ObjectList(
        [QUOTA_PANELS[0], QUOTA_PANELS[1], size, QUOTA_PANELS[3]],
        base_form_class=QuotaForm,
    )


class QuotaIndexView(views.IndexView):
    size_url_name = ""

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Change the number of places in the quota"),
                    reverse(self.size_url_name, args=[instance.pk]),
                    icon_name="group",
                    priority=15,
                )
            )
        return buttons


class QuotaViewSet(TrainingViewSet):
    model = Quota
    name = "training_quotas"
    icon = "group"
    menu_label = gettext_lazy("Quotas")
    index_view_class = QuotaIndexView
    add_view_class = views.QuotaCreateView
    edit_view_class = views.QuotaEditView
    list_display = ["name", "project", "size"]
    list_filter = ["project"]
    search_fields = ["name"]
    edit_handler = ObjectList(QUOTA_PANELS, base_form_class=QuotaForm)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            size_url_name=self.get_url_name("size"), **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        handler = _quota_panels_for_update().bind_to_model(Quota)
        return super().get_edit_view_kwargs(
            panel=handler,
            form_class=handler.get_form_class(),
            size_url_name=self.get_url_name("size"),
            **kwargs,
        )

    def get_urlpatterns(self):
        size = self.construct_view(
            views.QuotaSizeView,
            index_url_name=self.get_url_name("index"),
            back_url_name=self.get_url_name("edit"),
        )
        return [
            *super().get_urlpatterns(),
            path("size/<int:pk>/", size, name="size"),
        ]


class EligibilityRuleCreateView(views.PrefilledCreateView):
    prefill_fields = ("project",)


class EligibilityRuleViewSet(TrainingViewSet):
    model = EligibilityRule
    name = "training_rules"
    icon = "tasks"
    menu_label = gettext_lazy("Eligibility rules")
    add_view_class = EligibilityRuleCreateView
    list_display = ["name", "project"]
    list_filter = ["project"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("project"),
            FieldPanel("name"),
            FieldPanel("institution_types"),
            FieldPanel("positions"),
            FieldPanel("voivodeships", widget=CHECKBOXES),
            FieldPanel("courses", widget=CHECKBOXES),
        ],
        base_form_class=EligibilityRuleForm,
    )


class AuthorisedInstitutionCreateView(views.PrefilledCreateView):
    prefill_fields = ("project", "institution")


class AuthorisedInstitutionViewSet(TrainingViewSet):
    """Beneficiary institutions whose staff read a project's restricted materials."""

    model = AuthorisedInstitution
    name = "training_authorised"
    icon = "key"
    menu_label = gettext_lazy("Authorised institutions")
    add_view_class = AuthorisedInstitutionCreateView
    list_display = ["institution", "project", "email_domains", "authorised_on"]
    list_filter = ["project"]
    search_fields = ["institution__name", "email_domains"]
    form_fields = ["project", "institution", "email_domains"]


class CourseViewSet(TrainingViewSet):
    model = Course
    name = "training_courses"
    icon = "doc-full"
    menu_label = gettext_lazy("Courses")
    list_display = ["title", "code", "hours", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "code"]
    form_fields = ["title", "code", "hours", "kind"]


class CallViewSet(TrainingViewSet):
    model = Call
    name = "training_calls"
    icon = "form"
    menu_label = gettext_lazy("Calls for institutions")
    list_display = ["title", "project", "voivodeship", "deadline"]
    list_filter = ["project"]
    search_fields = ["title", "code"]
    form_fields = [
        "project",
        "code",
        "title",
        "description",
        "voivodeship",
        "deadline",
        "tie_rule",
        "tie_criterion",
        "diversity_criterion",
        "is_published",
    ]


class CallPlacesViewSet(TrainingViewSet):
    model = CallPlaces
    name = "training_call_places"
    icon = "list-ol"
    menu_label = gettext_lazy("Places of calls")
    list_display = ["call", "kind", "places"]
    list_filter = ["call"]
    form_fields = ["call", "kind", "places"]


class CriterionViewSet(TrainingViewSet):
    model = Criterion
    name = "training_criteria"
    icon = "tasks"
    menu_label = gettext_lazy("Criteria of calls")
    list_display = ["name", "call", "kind", "order"]
    list_filter = ["call"]
    form_fields = [
        "call",
        "name",
        "kind",
        "unit",
        "thresholds",
        "points_yes",
        "points_no",
        "order",
    ]


class AdvisoryOfferViewSet(TrainingViewSet):
    model = AdvisoryOffer
    name = "training_advisory"
    icon = "help"
    menu_label = gettext_lazy("Advisory and coaching")
    list_display = ["title", "project", "starts_on", "ends_on", "target_recipients"]
    list_filter = ["project"]
    search_fields = ["title", "code"]
    form_fields = [
        "project",
        "course",
        "code",
        "title",
        "description",
        "topics",
        "starts_on",
        "ends_on",
        "target_recipients",
        "staff_engaged",
        "volunteers_engaged",
        "is_published",
    ]


EDITION_PANELS = [
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("course"), FieldPanel("project")]),
            FieldPanel("code"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ],
        heading=gettext_lazy("Edition"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("delivery_mode"),
            FieldRowPanel([FieldPanel("city"), FieldPanel("venue")]),
            FieldPanel("online_link"),
            FieldPanel("trainers", widget=CHECKBOXES),
        ],
        heading=gettext_lazy("Place and trainers"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("min_group_size")]),
            FieldRowPanel(
                [FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]
            ),
            FieldPanel("is_published"),
        ],
        heading=gettext_lazy("Enrolment"),
    ),
]


def _edition_panels_for_update():
    """The same panels, with the seats read-only: they change through the service."""
    capacity = FieldPanel(
        "capacity",
        read_only=True,
        help_text=gettext_lazy(
            "Use “Change the number of seats” in the menu above, so that new seats "
            "go to the waiting list at once."
        ),
    )
    enrolment = MultiFieldPanel(
        [
            FieldRowPanel([capacity, FieldPanel("min_group_size")]),
            FieldRowPanel(
                [FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]
            ),
            FieldPanel("is_published"),
        ],
        heading=gettext_lazy("Enrolment"),
    )
    return ObjectList([*EDITION_PANELS[:2], enrolment])


class EditionIndexView(views.IndexView):
    capacity_url_name = ""
    message_url_name = ""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course", "project")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Change the number of seats"),
                    reverse(self.capacity_url_name, args=[instance.pk]),
                    icon_name="group",
                    priority=15,
                )
            )
            buttons.append(
                MenuItem(
                    _("Send a message"),
                    reverse(self.message_url_name, args=[instance.pk]),
                    icon_name="mail",
                    priority=16,
                )
            )
        buttons += [
            MenuItem(
                _("Sessions"),
                _filtered_list("training_sessions", edition=instance.pk),
                icon_name="time",
                priority=40,
            ),
            MenuItem(
                _("Enrolments"),
                _filtered_list("training_enrolments", edition=instance.pk),
                icon_name="form",
                priority=41,
            ),
        ]
        return buttons


class EditionViewSet(TrainingViewSet):
    model = Edition
    name = "training_editions"
    icon = "date"
    menu_label = gettext_lazy("Editions")
    index_view_class = EditionIndexView
    edit_view_class = views.EditionEditView
    list_display = [
        "__str__",
        "project",
        "start_date",
        "delivery_mode",
        "capacity",
        "is_published",
    ]
    list_filter = ["project", "course", "delivery_mode", "is_published"]
    search_fields = ["code", "course__title", "city"]
    panels = EDITION_PANELS

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            capacity_url_name=self.get_url_name("capacity"),
            message_url_name=self.get_url_name("message"),
            **kwargs,
        )

    def get_edit_view_kwargs(self, **kwargs):
        handler = _edition_panels_for_update().bind_to_model(Edition)
        return super().get_edit_view_kwargs(
            panel=handler,
            form_class=handler.get_form_class(),
            capacity_url_name=self.get_url_name("capacity"),
            message_url_name=self.get_url_name("message"),
            **kwargs,
        )

    def get_urlpatterns(self):
        capacity = self.construct_view(
            views.EditionCapacityView,
            index_url_name=self.get_url_name("index"),
            back_url_name=self.get_url_name("edit"),
        )
        message = self.construct_view(
            views.EditionMessageView,
            index_url_name=self.get_url_name("index"),
            back_url_name=self.get_url_name("edit"),
        )
        return [
            *super().get_urlpatterns(),
            path("capacity/<int:pk>/", capacity, name="capacity"),
            path("message/<int:pk>/", message, name="message"),
        ]


class SessionCreateView(views.PrefilledCreateView):
    prefill_fields = ("edition",)


class SessionViewSet(TrainingViewSet):
    model = Session
    name = "training_sessions"
    icon = "time"
    menu_label = gettext_lazy("Sessions")
    add_view_class = SessionCreateView
    list_display = ["__str__", "edition", "date", "start_time", "end_time", "topic"]
    list_filter = ["edition"]
    search_fields = ["topic", "place", "edition__code"]
    form_fields = ["edition", "date", "start_time", "end_time", "place", "topic"]


class CompletionRuleViewSet(TrainingViewSet):
    model = CompletionRule
    name = "training_completion_rules"
    icon = "tick"
    menu_label = gettext_lazy("Completion rules")
    list_display = ["__str__", "course", "edition", "min_attendance_percent"]
    form_fields = ["course", "edition", "min_attendance_percent"]


class InstitutionViewSet(TrainingViewSet):
    model = Institution
    name = "training_institutions"
    icon = "home"
    menu_label = gettext_lazy("Institutions")
    list_display = ["name", "type", "voivodeship", "municipality", "regon"]
    list_filter = ["type", "voivodeship"]
    search_fields = ["name", "municipality", "county", "regon", "nip"]
    form_fields = [
        "name",
        "type",
        "voivodeship",
        "county",
        "municipality",
        "regon",
        "nip",
    ]


TRAINEE_FIELDS = [
    "first_name",
    "last_name",
    "gender",
    "position",
    "institution",
    "phone",
]


class TraineeViewSet(TrainingViewSet):
    model = TraineeProfile
    name = "training_trainees"
    icon = "user"
    menu_label = gettext_lazy("Trainees")
    filterset_class = TraineeFilterSet
    list_display = [
        "__str__",
        column("institution", gettext_lazy("institution")),
        "position",
        column("email", gettext_lazy("e-mail"), accessor="user.email"),
    ]
    search_fields = ["last_name", "first_name", "user__email", "institution__name"]
    # Trainees create their own profile when they sign up and keep their PESEL there;
    # staff see it masked on the inspect page and reveal it on purpose (logged).
    form_fields = TRAINEE_FIELDS
    inspect_view_fields = [*TRAINEE_FIELDS, "created_at"]
    inspect_view_class = privacy.TraineeInspectView
    edit_view_class = privacy.TraineeEditView

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name != "add"]

    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), "add_url_name": None}


class VoivodeshipViewSet(TrainingViewSet):
    model = Voivodeship
    name = "training_voivodeships"
    icon = "site"
    menu_label = gettext_lazy("Voivodeships")
    inspect_view_enabled = False
    list_display = ["name", "teryt", "macroregion"]
    list_filter = ["macroregion"]
    list_per_page = 50
    form_fields = ["name", "teryt", "macroregion"]


class MacroregionViewSet(TrainingViewSet):
    """Groups of voivodeships; a voivodeship changes macroregion on its own screen."""

    model = Macroregion
    name = "training_macroregions"
    icon = "site"
    menu_label = gettext_lazy("Macroregions")
    inspect_view_enabled = False
    list_display = ["code", "name", column("members", gettext_lazy("voivodeships"))]
    form_fields = ["code", "name", "source"]


def _applied(enrolment) -> str:
    return date_format(localtime(enrolment.created_at), "d.m.Y H:i")


class EnrolmentViewSet(TrainingViewSet, InspectWithActionsViewSet):
    """List and inspect only: every change goes through an action and its service."""

    model = Enrolment
    name = "training_enrolments"
    icon = "form"
    menu_label = gettext_lazy("Enrolments")
    index_view_class = views.EnrolmentIndexView
    inspect_view_class = views.EnrolmentInspectView
    filterset_class = EnrolmentFilterSet
    ordering = "-created_at"
    list_per_page = 50
    search_fields = [
        "trainee__last_name",
        "trainee__first_name",
        "trainee__user__email",
    ]
    list_display = [
        column(
            "trainee",
            gettext_lazy("trainee"),
            kind=TitleColumn,
            get_url=lambda e: reverse("training_enrolments:inspect", args=[e.pk]),
            sort_key="trainee",
            width="17%",
        ),
        column(
            "institution",
            gettext_lazy("institution"),
            accessor="trainee.institution.name",
            width="19%",
        ),
        column(
            "voivodeship",
            gettext_lazy("voivodeship"),
            sort_key="voivodeship__teryt",
            width="11%",
        ),
        column(
            "edition",
            gettext_lazy("edition"),
            accessor="edition.code",
            sort_key="edition__code",
            width="11%",
        ),
        column(
            "status",
            gettext_lazy("status"),
            kind=StatusTagColumn,
            accessor="get_status_display",
            sort_key="status",
            primary=lambda e: e.status == EnrolmentStatus.CONFIRMED,
            width="13%",
        ),
        column(
            "has_declaration",
            gettext_lazy("declaration"),
            kind=BooleanColumn,
            width="9%",
        ),
        column(
            "created_at",
            gettext_lazy("applied"),
            accessor=_applied,
            sort_key="created_at",
            width="11%",
        ),
        column("waitlist_position", gettext_lazy("waiting list"), width="9%"),
    ]
    ACTIONS = {
        "approve": views.EnrolmentApproveView,
        "reject": views.EnrolmentRejectView,
        "withdraw": views.EnrolmentWithdrawView,
        "move": views.EnrolmentMoveView,
        "declaration": views.EnrolmentDeclarationView,
    }


class FillReportViewSet(SinglePageViewSet):
    name = "training_fill"
    url_prefix = "training/fill"
    icon = "table"
    menu_label = gettext_lazy("Quota and group fill")
    view_class = views.FillReportView
    menu_permissions = ("courses.view_enrolment", "courses.change_enrolment")


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Training")
    menu_icon = "group"
    menu_order = 200
    items = (
        EnrolmentViewSet,
        FillReportViewSet,
        ProjectViewSet,
        QuotaViewSet,
        EligibilityRuleViewSet,
        AuthorisedInstitutionViewSet,
        CourseViewSet,
        AdvisoryOfferViewSet,
        CallViewSet,
        CallPlacesViewSet,
        CriterionViewSet,
        EditionViewSet,
        SessionViewSet,
        CompletionRuleViewSet,
        InstitutionViewSet,
        InstitutionChangeViewSet,
        TraineeViewSet,
        VoivodeshipViewSet,
        MacroregionViewSet,
    )
