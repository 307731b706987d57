"""The "Evaluation" menu, and what evaluation adds to courses through its hooks."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from courses.admin_ui.base import PermittedMenuViewSet
from courses.extensions import (
    COMPLETION_CONDITION_HOOK,
    EDITION_LINKS_HOOK,
    ENROLMENT_LINKS_HOOK,
    INDICATOR_CHARTS_HOOK,
    EnrolmentLink,
)
from courses.models import Edition
from courses.roles import COORDINATOR, ROLE_PERMISSIONS_HOOK, RoleGrant

from .models import (
    Attempt,
    Kind,
    KnowledgeTest,
    ProjectEvaluation,
    Survey,
    SurveyResponse,
)
from .selectors import evaluation_state, indicator_charts, survey_summary
from .services import test_for


class KnowledgeTestViewSet(ModelViewSet):
    model = KnowledgeTest
    name = "evaluation_tests"
    url_prefix = "evaluation/tests"
    icon = "tasks"
    menu_label = gettext_lazy("Knowledge tests")
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["title"]
    list_display = ["title", "course", "edition", "required_for_completion"]


class SurveyViewSet(ModelViewSet):
    model = Survey
    name = "evaluation_surveys"
    url_prefix = "evaluation/surveys"
    icon = "form"
    menu_label = gettext_lazy("Satisfaction surveys")
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["title"]
    list_display = ["title", "course", "edition"]


class ProjectEvaluationViewSet(ModelViewSet):
    model = ProjectEvaluation
    name = "evaluation_projects"
    url_prefix = "evaluation/projects"
    icon = "pick"
    menu_label = gettext_lazy("Competence threshold per project")
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["project", "threshold_percent"]
    form_fields = ["project", "threshold_percent"]


class SurveyResultsView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Survey results per edition and per trainer, with bars and the data tables."""

    model = SurveyResponse
    permission_required = "view"
    template_name = "evaluation/admin/results.html"
    page_title = gettext_lazy("Survey results")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition_id = self.kwargs.get("pk")
        if edition_id:
            edition = get_object_or_404(Edition, pk=edition_id)
            responses, summaries = survey_summary(edition=edition)
            context.update(edition=edition, responses=responses, summaries=summaries)
        else:
            context["editions"] = _editions_with_responses()
        return context

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _editions_with_responses():
    return (
        Edition.objects.annotate(responses=Count("enrolments__survey_responses"))
        .filter(responses__gt=0)
        .select_related("course")
        .order_by("-start_date", "code")
    )


class SurveyResultsViewSet(PermittedMenuViewSet):
    name = "evaluation_results"
    url_prefix = "evaluation/results"
    icon = "table"
    menu_label = gettext_lazy("Survey results")
    menu_permissions = ("evaluation.view_surveyresponse",)

    def get_urlpatterns(self):
        return [
            path("", SurveyResultsView.as_view(), name="index"),
            path("<int:pk>/", SurveyResultsView.as_view(), name="edition"),
        ]


class EvaluationViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Evaluation")
    menu_icon = "tasks"
    menu_order = 210
    items = (
        KnowledgeTestViewSet,
        SurveyViewSet,
        ProjectEvaluationViewSet,
        SurveyResultsViewSet,
    )


@hooks.register("register_admin_viewset")
def register_evaluation_admin():
    return EvaluationViewSetGroup()


@hooks.register(ROLE_PERMISSIONS_HOOK)
def evaluation_role_permissions() -> dict[str, RoleGrant]:
    """Coordinators write the tests, surveys and thresholds and read the results."""
    return {
        COORDINATOR: RoleGrant(
            permissions={
                f"evaluation.{action}_{model}"
                for model in ("knowledgetest", "survey", "projectevaluation")
                for action in ("add", "change", "delete", "view")
            }
            | {"evaluation.view_surveyresponse"}
        )
    }


@hooks.register(COMPLETION_CONDITION_HOOK)
def tests_taken(*, enrolment) -> str | None:
    """An edition whose test is required completes only with both tests taken."""
    test = test_for(edition=enrolment.edition)
    if test is None or not test.required_for_completion:
        return None
    taken = set(
        Attempt.objects.filter(
            test=test, enrolment=enrolment, submitted_at__isnull=False
        ).values_list("kind", flat=True)
    )
    if {Kind.PRE, Kind.POST} <= taken:
        return None
    return gettext(
        "The knowledge tests before and after the training are not both taken."
    )


@hooks.register(ENROLMENT_LINKS_HOOK)
def evaluation_links(*, enrolments, user) -> dict[int, list[EnrolmentLink]]:
    """The tests and the survey the trainee may take now, on "Moje szkolenia"."""
    state = evaluation_state(enrolments=enrolments)
    links: dict[int, list[EnrolmentLink]] = {}
    for enrolment in enrolments:
        rows = []
        for kind, label in (
            (Kind.PRE, gettext("Knowledge test before the training")),
            (Kind.POST, gettext("Knowledge test after the training")),
        ):
            if state.test_open(enrolment, kind):
                rows.append(
                    EnrolmentLink(
                        url=reverse("evaluation:test", args=[enrolment.pk, kind]),
                        label=label,
                    )
                )
        if state.survey_open(enrolment):
            rows.append(
                EnrolmentLink(
                    url=reverse("evaluation:survey", args=[enrolment.pk]),
                    label=gettext("Satisfaction survey"),
                )
            )
        if rows:
            links[enrolment.pk] = rows
    return links


@hooks.register(EDITION_LINKS_HOOK)
def group_evaluation_link(*, edition, user) -> list[EnrolmentLink]:
    """On a trainer's group page: the group's tests and survey."""
    return [
        EnrolmentLink(
            url=reverse("evaluation:group", args=[edition.pk]),
            label=gettext("Tests and survey of the group"),
        )
    ]


@hooks.register(INDICATOR_CHARTS_HOOK)
def competence_charts():
    return indicator_charts()
