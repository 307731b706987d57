"""Who read whose personal data: one row per view, download, export or reveal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    REVEAL_PESEL = "reveal_pesel", _("Revealed the PESEL number")
    ERASURE = "erasure", _("Erased")
    ANONYMISATION = "anonymisation", _("Anonymised")


class AccessEvent(models.Model):
    """One access to personal data: who (and as whom), when, what, whose.

    `role` and `organisation` are copied at the time, so the trainee's view stays true
    after the clerk changes role or leaves; the trainee sees those, not the name.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=300)
    path = models.CharField(_("address"), max_length=500, blank=True)
    trainees = models.ManyToManyField(
        "courses.TraineeProfile",
        verbose_name=_("whose data"),
        blank=True,
        related_name="access_events",
    )
    trainee_count = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.what}"
        )


COMPLAINT_DEFAULT = _(
    "You have the right to lodge a complaint with the supervisory authority: the "
    "President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych "
    "Osobowych), ul. Stawki 2, 00-193 Warszawa, uodo.gov.pl."
)
RIGHTS_DEFAULT = _(
    "You have the right to access your data and receive a copy of it, to have it "
    "rectified, erased or its processing restricted, to object to processing and to "
    "data portability, within the limits of articles 15-21 of the GDPR. Where "
    "processing is based on your consent, you may withdraw it at any time without "
    "affecting the lawfulness of processing before the withdrawal."
)


class InformationClause(models.Model):
    """One version of an information clause (art. 13/14 GDPR); never changed once saved.

    A project's clause is shown before enrolling in it and on its application form;
    the clause without a project is the platform's, shown at sign-up and on the
    privacy page. A new version is a new row: what a person was shown stays on record.
    """

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="information_clauses",
        help_text=_("Empty: the platform's own clause, shown at sign-up."),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    controllers = models.TextField(
        _("controllers"),
        help_text=_(
            "Who the controllers are, with contact details, e.g. the managing "
            "authority of the programme and the ROPS."
        ),
    )
    dpo = models.TextField(
        _("data protection officer"), help_text=_("How to reach the DPO.")
    )
    purposes = models.TextField(
        _("purposes and legal bases"),
        help_text=_("Each purpose with its legal basis (art. 6 and 9 GDPR)."),
    )
    recipients = models.TextField(
        _("recipients"),
        help_text=_(
            "E.g. the project's partners, the funder's monitoring system (SL2014, "
            "CST2021), auditors."
        ),
    )
    retention = models.TextField(
        _("retention"), help_text=_("How long the data is kept and why.")
    )
    rights = models.TextField(_("your rights"), default=RIGHTS_DEFAULT)
    complaint = models.TextField(_("right to complain"), default=COMPLAINT_DEFAULT)
    other = models.TextField(
        _("other information"),
        blank=True,
        help_text=_(
            "E.g. whether giving the data is required and what follows from not "
            "giving it, transfers outside the EEA, automated decisions."
        ),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SECTIONS = (
        "controllers",
        "dpo",
        "purposes",
        "recipients",
        "retention",
        "rights",
        "complaint",
        "other",
    )

    class Meta:
        verbose_name = _("information clause")
        verbose_name_plural = _("information clauses")
        ordering = ["project__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="unique_clause_version"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(project__isnull=True),
                name="unique_platform_clause_version",
            ),
        ]

    def __str__(self) -> str:
        owner = self.project.code if self.project is not None else _("platform")
        return _("Information clause: %(owner)s, version %(version)s") % {
            "owner": owner,
            "version": self.version,
        }

    def sections(self) -> list[tuple[str, str]]:
        labels = {field.name: field.verbose_name for field in self._meta.fields}
        return [
            (str(labels[name]), getattr(self, name))
            for name in self.SECTIONS
            if getattr(self, name)
        ]


class ClauseAcknowledgement(models.Model):
    """A person was shown a clause version: at sign-up or before enrolling."""

    class How(models.TextChoices):
        SIGNUP = "signup", _("at sign-up")
        ENROLMENT = "enrolment", _("before enrolling")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="clause_acknowledgements",
    )
    clause = models.ForeignKey(
        InformationClause,
        verbose_name=_("information clause"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    how = models.CharField(_("how"), max_length=20, choices=How.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("information clause shown")
        verbose_name_plural = _("information clauses shown")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.clause} ({self.get_how_display()})"


class ConsentPurpose(models.Model):
    """A purpose for which the platform asks consent (image use, newsletter, ...).

    Always optional and separate from what a project requires. Its text is versioned
    in `ConsentText`; the newest version is the one asked.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("asked"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ConsentText(models.Model):
    """One version of a consent's wording; never changed once saved."""

    purpose = models.ForeignKey(
        ConsentPurpose,
        verbose_name=_("purpose"),
        on_delete=models.PROTECT,
        related_name="texts",
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose__order", "purpose__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="unique_consent_text_version"
            )
        ]

    def __str__(self) -> str:
        return _("%(purpose)s, version %(version)s") % {
            "purpose": self.purpose,
            "version": self.version,
        }


class ConsentHow(models.TextChoices):
    SIGNUP = "signup", _("sign-up form")
    ACCOUNT = "account", _("account page")
    REASKED = "reasked", _("asked again after a new version")


class ConsentRecord(models.Model):
    """One decision of a person about one consent text: given or withdrawn. Append-only.

    The person's current answer for a purpose is their newest record for it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    text = models.ForeignKey(
        ConsentText,
        verbose_name=_("consent text"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    given = models.BooleanField(_("given"))
    how = models.CharField(_("how"), max_length=20, choices=ConsentHow.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        state = _("given") if self.given else _("withdrawn")
        return f"{self.text}: {state}"


class ErasureRequest(models.Model):
    """A person's request for erasure: what went at once, what is kept until when.

    It names the person only through the (anonymised in the end) profile, so the
    request can stay on record after everything else about them is gone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    trainee = models.ForeignKey(
        "courses.TraineeProfile",
        verbose_name=_("trainee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    kept_until = models.DateField(
        _("kept until"),
        null=True,
        blank=True,
        help_text=_("The latest archival date of the projects whose records are kept."),
    )
    kept = models.JSONField(_("kept"), default=list, blank=True)
    erased = models.JSONField(_("erased at once"), default=list, blank=True)
    completed_at = models.DateTimeField(_("everything erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return _("Erasure request of %(date)s") % {
            "date": self.requested_at.strftime("%d.%m.%Y")
        }
