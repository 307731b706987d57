"""Knowledge tests before and after a training, and the satisfaction survey.

A test belongs to a course (every edition) or to one edition (it wins). Its questions
have answers, one of them or more correct; a trainee's attempt keeps the order the
questions and answers were shown in, the chosen answers and the score. A trainer
enters a paper attempt for a trainee; it is scored the same way.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

CORRECT_MARK = "*"


class Kind(models.TextChoices):
    PRE = "pre", _("before the training")
    POST = "post", _("after the training")


def _course_or_edition():
    return [
        models.CheckConstraint(
            condition=(
                models.Q(course__isnull=False, edition__isnull=True)
                | models.Q(course__isnull=True, edition__isnull=False)
            ),
            name="%(class)s_for_course_or_edition",
            violation_error_message=_(
                "Choose a course or an edition: it applies to exactly one."
            ),
        )
    ]


class KnowledgeTest(ClusterableModel):
    """The same test taken before the first session and after the last."""

    title = models.CharField(_("title"), max_length=200)
    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_test",
    )
    edition = models.OneToOneField(
        "courses.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_test",
    )
    required_for_completion = models.BooleanField(
        _("both tests are required before the certificate"), default=False
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("course"),
                FieldPanel("edition"),
                FieldPanel("required_for_completion"),
            ],
            heading=_("Test"),
        ),
        InlinePanel("questions", heading=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")
        constraints = _course_or_edition()

    def __str__(self) -> str:
        return self.title


class Question(Orderable):
    test = ParentalKey(
        KnowledgeTest, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    answers = models.TextField(
        _("answers"),
        help_text=_(
            "One answer per line; put an asterisk (*) before each correct one."
        ),
    )

    panels = [FieldPanel("text"), FieldPanel("answers")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    def choices(self) -> list[tuple[int, str, bool]]:
        """(number, text, correct) of each answer, numbered from 0 in the editor's order."""
        rows: list[tuple[int, str, bool]] = []
        for line in self.answers.splitlines():
            line = line.strip()
            if not line:
                continue
            correct = line.startswith(CORRECT_MARK)
            rows.append((len(rows), line.lstrip(CORRECT_MARK).strip(), correct))
        return rows

    def correct(self) -> set[int]:
        return {number for number, _text, correct in self.choices() if correct}


class Attempt(models.Model):
    """One trainee's test before or after the training, scored when submitted."""

    test = models.ForeignKey(
        KnowledgeTest,
        verbose_name=_("test"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="test_attempts",
    )
    kind = models.CharField(_("when"), max_length=4, choices=Kind.choices)
    # {"questions": [question ids in the order shown], "answers": {id: [numbers]}}
    layout = models.JSONField(_("order shown"), default=dict)
    answers = models.JSONField(_("answers given"), default=dict)
    score = models.PositiveSmallIntegerField(_("points"), default=0)
    max_score = models.PositiveSmallIntegerField(_("of points"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    on_paper = models.BooleanField(_("taken on paper"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "test", "kind"], name="one_attempt_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.kind}: {self.score}/{self.max_score}"

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("a rating from 1 to 5")
    TRAINER = "trainer", _("a rating from 1 to 5 of each trainer")
    TEXT = "text", _("a comment")


class Survey(ClusterableModel):
    """The satisfaction survey after a training: of a course, or of one edition."""

    title = models.CharField(_("title"), max_length=200)
    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey",
    )
    edition = models.OneToOneField(
        "courses.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("course"),
        FieldPanel("edition"),
        InlinePanel("questions", heading=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = _course_or_edition()

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(Orderable):
    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("answer"), max_length=10, choices=QuestionKind.choices, default="scale"
    )

    panels = [FieldPanel("text"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "enrolment"], name="one_response_per_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.enrolment_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    trainer = models.ForeignKey(
        "courses.TrainerProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.comment[:20]}"


class ProjectEvaluation(models.Model):
    """A project's rule for "raised competences": a threshold, else post above pre."""

    project = models.OneToOneField(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("post-test threshold (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Empty: competences rose when the post-test score is above the pre-test "
            "score. Set: when the post-test reaches this share of points."
        ),
    )

    class Meta:
        verbose_name = _("project's evaluation rule")
        verbose_name_plural = _("projects' evaluation rules")

    def __str__(self) -> str:
        return str(self.project)
