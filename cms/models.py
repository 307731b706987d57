from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.selectors import course_editions

from .blocks import ProgrammeTopicBlock, ProjectCardBlock


class HomePage(Page):
    """What the platform is, the current projects and how they are funded."""

    lead = models.TextField(_("lead"), blank=True)
    about = RichTextField(_("about the platform"), blank=True)
    projects = StreamField(
        [("project", ProjectCardBlock())],
        verbose_name=_("current projects"),
        blank=True,
    )
    funding_info = RichTextField(_("funding information"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("about"),
        FieldPanel("projects"),
        FieldPanel("funding_info"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("about"),
    ]
    subpage_types = ["cms.CourseIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course_index"] = CourseIndexPage.objects.live().child_of(self).first()
        context["courses"] = (
            CoursePage.objects.live().descendant_of(self).specific()[:6]
        )
        return context


class CourseIndexPage(Page):
    """The catalogue of courses."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.CoursePage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().child_of(self).specific()
        return context


class CoursePage(Page):
    """A training module as trainees read it: goals, programme, hours, audience, trainers."""

    summary = models.TextField(
        _("summary"), help_text=_("One or two sentences shown in the course list.")
    )
    goals = RichTextField(_("goals"), blank=True)
    programme = StreamField(
        [("topic", ProgrammeTopicBlock())], verbose_name=_("programme"), blank=True
    )
    hours = models.PositiveSmallIntegerField(_("teaching hours"), default=0)
    target_group = RichTextField(_("target group"), blank=True)
    delivery = models.CharField(_("form of delivery"), max_length=255, blank=True)
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course (enrolment)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages",
        help_text=_(
            "The training module whose editions trainees enrol in from this page."
        ),
    )
    trainers = ParentalManyToManyField(
        "courses.TrainerProfile", verbose_name=_("trainers"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hours"), FieldPanel("delivery")], heading=_("Facts")
        ),
        FieldPanel("goals"),
        FieldPanel("programme"),
        FieldPanel("target_group"),
        FieldPanel("trainers"),
        FieldPanel("course"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("goals"),
        index.SearchField("target_group"),
    ]
    parent_page_types = ["cms.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = (
            course_editions(course=self.course, user=request.user)
            if self.course_id
            else []
        )
        context["now"] = timezone.now()
        return context
