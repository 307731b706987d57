from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..crypto import keyed_hash, pesel_mask
from ..validators import validate_nip, validate_pesel, validate_regon
from .choices import EducationLevel, Gender, InstitutionType, Position
from .fields import EncryptedTextField, KeyedHashField

PESEL_TAKEN = _("A trainee with this PESEL number is already registered.")

TITLES = {"dr", "mgr", "inż", "prof", "hab", "lic"}


class TrainerProfile(index.Indexed, models.Model):
    """A trainer as trainees see them: name, title, photo and a short bio."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_profile",
    )
    name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        """Initials without academic titles: "dr Anna Wójcik" -> "AW"."""
        words = [
            w
            for w in self.name.split()
            if not w.endswith(".") and w.lower() not in TITLES
        ]
        return "".join(word[0] for word in words[-2:]).upper()


class Institution(models.Model):
    """An employer of trainees: its type and where it works decide eligibility and quota."""

    name = models.CharField(_("name"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=InstitutionType.choices)
    voivodeship = models.ForeignKey(
        "courses.Voivodeship",
        verbose_name=_("voivodeship"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    county = models.CharField(_("county"), max_length=100)
    municipality = models.CharField(_("municipality"), max_length=100)
    regon = models.CharField(
        _("REGON"), max_length=14, blank=True, validators=[validate_regon]
    )
    nip = models.CharField(
        _("NIP"), max_length=10, blank=True, validators=[validate_nip]
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["regon"],
                condition=~models.Q(regon=""),
                name="unique_institution_regon",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class TraineeProfile(models.Model):
    """A trainee: who they are, where they work and in which position."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="trainee",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The clear number in Python (`trainee.pesel` is the one accessor for it), a
    # Fernet token in the database; staff see `pesel_masked` unless they reveal it.
    pesel = EncryptedTextField(_("PESEL"), blank=True, validators=[validate_pesel])
    pesel_hash = KeyedHashField(_("PESEL keyed hash"), source="pesel", db_index=True)
    education = models.CharField(
        _("education level"),
        max_length=3,
        choices=EducationLevel.choices,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["last_name", "first_name"]
        permissions = [("reveal_pesel", _("Can reveal PESEL numbers (logged)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["pesel_hash"],
                condition=~models.Q(pesel_hash=""),
                name="unique_trainee_pesel_hash",
                violation_error_message=PESEL_TAKEN,
                violation_error_code="pesel_taken",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        self.pesel_hash = keyed_hash(self.pesel) if self.pesel else ""

    def validate_constraints(self, exclude=None) -> None:
        """PESEL uniqueness is checked through its hash whenever the PESEL is."""
        exclude = set(exclude or ())
        if "pesel" not in exclude:
            exclude.discard("pesel_hash")
            self.pesel_hash = keyed_hash(self.pesel) if self.pesel else ""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            general = getattr(error, "error_dict", {}).get(NON_FIELD_ERRORS, [])
            if any(item.code == "pesel_taken" for item in general):
                raise ValidationError(
                    {"pesel": ValidationError(PESEL_TAKEN, code="pesel_taken")}
                ) from error
            raise

    @property
    def pesel_masked(self) -> str:
        return pesel_mask(self.pesel)

    @staticmethod
    def pesel_lookup(pesel: str) -> models.Q:
        """The filter that finds a trainee by PESEL (through the keyed hash)."""
        return models.Q(pesel_hash=keyed_hash(pesel))

    @property
    def voivodeship(self):
        return self.institution.voivodeship
