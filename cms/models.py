from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page
from wagtail.search import index

from courses.seat_cache import share_with_anonymous
from courses.selectors import course_editions, user_may_see_course_materials

from .blocks import MaterialStreamBlock, ProgrammeTopicBlock, ProjectCardBlock


def english_title_field() -> models.CharField:
    """A page whose title the menu or the footer shows: its English name as well.

    The site's content is written in Polish (WAGTAIL_CONTENT_LANGUAGES); in English the
    menu and the footer show this name, or the Polish title marked lang="pl".
    """
    return models.CharField(
        _("title in English"),
        max_length=255,
        blank=True,
        help_text=_("Shown in the menu and the footer when the site is in English."),
    )


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
    subpage_types = [
        "cms.CourseIndexPage",
        "cms.ProjectInformationPage",
        "cms.AccessibilityStatementPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course_index"] = CourseIndexPage.objects.live().child_of(self).first()
        context["courses"] = (
            CoursePage.objects.live().descendant_of(self).select_related("course")[:6]
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            # The same for every anonymous visitor and no seats in it: kept whole by
            # cms.anonymous_cache until the site's content changes (or SHARED_TTL).
            share_with_anonymous(response, editions=[], now=timezone.now())
        return response


class CourseIndexPage(Page):
    """The catalogue of courses."""

    title_en = english_title_field()

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]
    subpage_types = ["cms.CoursePage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live().child_of(self).select_related("course")
        )
        return context


class CoursePage(Page):
    """A training module as trainees read it: goals, programme, hours, audience, trainers.

    The teaching hours are the course's (courses.Course.hours): one source of truth
    for the page, the application form and the certificate.
    """

    summary = models.TextField(
        _("summary"), help_text=_("One or two sentences shown in the course list.")
    )
    goals = RichTextField(_("goals"), blank=True)
    programme = StreamField(
        [("topic", ProgrammeTopicBlock())], verbose_name=_("programme"), blank=True
    )
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
            "The training module whose editions trainees enrol in from this page; "
            "the page shows its teaching hours."
        ),
    )
    trainers = ParentalManyToManyField(
        "courses.TrainerProfile", verbose_name=_("trainers"), blank=True
    )
    # Restricted materials' files live here; kept by cms.services.course_access_sync.
    materials_collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection of restricted materials"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="course_pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("delivery")], heading=_("Facts")),
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
    subpage_types = ["cms.LessonPage"]
    # A copy of the page is another course: course_access_sync gives it its own.
    exclude_fields_in_copy = ["materials_collection"]

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
        materials = list(LessonPage.objects.live().child_of(self))
        context["materials"] = materials
        context["may_read"] = self.materials_open_to(request.user)
        context["any_locked"] = not context["may_read"] and any(
            lesson.restricted for lesson in materials
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context and "now" in context and not request.user.is_authenticated:
            # The same for every anonymous visitor: cms.anonymous_cache may keep it
            # whole, fresh while the editions' seats and dates are.
            share_with_anonymous(
                response,
                editions=[edition for edition, _ in context["editions"]],
                now=context["now"],
            )
        return response

    def materials_open_to(self, user) -> bool:
        """Whether the user may read this course's restricted lessons and files."""
        return user_may_see_course_materials(user=user, course=self.course)


class LessonPage(Page):
    """A lesson or a material of a course; a restricted one shows others its teaser."""

    teaser = models.TextField(
        _("teaser"),
        help_text=_("Two or three sentences that everyone sees, even when restricted."),
    )
    restricted = models.BooleanField(
        _("only for those entitled"),
        default=False,
        help_text=_(
            "Enrolled trainees, authorised partners, the course's trainers and "
            "coordinators see the content; everyone else sees the title and teaser."
        ),
    )
    body = StreamField(MaterialStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("restricted"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("restricted"),
    ]
    parent_page_types = ["cms.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson or material")
        verbose_name_plural = _("lessons and materials")

    @cached_property
    def course_page(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def is_open_to(self, user) -> bool:
        return not self.restricted or self.course_page.materials_open_to(user)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course_page"] = self.course_page
        return context

    def serve(self, request, *args, **kwargs):
        if self.is_open_to(request.user):
            response = super().serve(request, *args, **kwargs)
        else:
            # The teaser page is a separate template, so the body is never rendered.
            response = TemplateResponse(
                request, "cms/lesson_page_locked.html", self.get_context(request)
            )
        if self.restricted:
            # What a restricted lesson shows depends on who asks: no shared caches.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class ProjectInformationPage(Page):
    """What a funded project is, who pays for it, how much, and whom to ask."""

    title_en = english_title_field()

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Programme, value, co-financing, period and contact come from it."),
    )
    beneficiary = models.CharField(
        _("beneficiary and partners"), max_length=500, blank=True
    )
    goals = RichTextField(_("goals and expected results"), blank=True)
    target_groups = RichTextField(_("target groups"), blank=True)
    body = RichTextField(_("more about the project"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("project"),
        FieldPanel("beneficiary"),
        FieldPanel("goals"),
        FieldPanel("target_groups"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("beneficiary"),
        index.SearchField("goals"),
        index.SearchField("target_groups"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("project information page")

    def get_context(self, request, *args, **kwargs):
        """The project's own funding marks and statement (EU funds or the state
        budget), as its printed documents carry them."""
        from courses.funding import funding_statement_shown, project_funding

        context = super().get_context(request, *args, **kwargs)
        if self.project is not None:
            site = self.get_site()
            context["funding"] = project_funding(project=self.project, site=site)
            statement, language = funding_statement_shown(
                project=self.project, site=site
            )
            context["funding_statement"] = statement
            context["funding_statement_lang"] = language
        return context


class AccessibilityStatementPage(Page):
    """Deklaracja dostępności in the sections the Polish digital accessibility act asks for."""

    title_en = english_title_field()

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    entity_name = models.CharField(_("public body"), max_length=300)
    website_name = models.CharField(_("website name"), max_length=300)
    website_url = models.URLField(_("website address"))
    published_on = models.DateField(_("date the website was published"))
    updated_on = models.DateField(_("date of the last major update"))
    compliance = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    non_accessible_content = RichTextField(
        _("content that is not accessible, and why"), blank=True
    )
    prepared_on = models.DateField(_("date the statement was prepared"))
    reviewed_on = models.DateField(_("date of the last review"))
    assessment = models.CharField(
        _("how the statement was prepared"),
        max_length=300,
        default="samoocena przeprowadzona przez podmiot publiczny",
    )
    keyboard_shortcuts = RichTextField(_("keyboard shortcuts"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    complaints = RichTextField(_("requests and complaints procedure"), blank=True)
    architecture = RichTextField(_("architectural accessibility"), blank=True)
    mobile_apps = RichTextField(_("mobile applications"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        MultiFieldPanel(
            [
                FieldPanel("entity_name"),
                FieldPanel("website_name"),
                FieldPanel("website_url"),
                FieldPanel("published_on"),
                FieldPanel("updated_on"),
            ],
            heading=_("Website"),
        ),
        FieldPanel("compliance"),
        FieldPanel("non_accessible_content"),
        MultiFieldPanel(
            [
                FieldPanel("prepared_on"),
                FieldPanel("reviewed_on"),
                FieldPanel("assessment"),
            ],
            heading=_("Preparation of the statement"),
        ),
        FieldPanel("keyboard_shortcuts"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Feedback and contact"),
        ),
        FieldPanel("complaints"),
        FieldPanel("architecture"),
        FieldPanel("mobile_apps"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility statement")
