"""The access matrix's world: one of each thing the site shows, each belonging to someone.

Trainee A owns everything personal here (enrolments, declaration scan, certificate,
advisory case, calendar feed); trainee B has an enrolment of their own in another
group. The trainer of A's group ("own") and the trainer of B's group ("other"), an
adviser assigned to A's case, a municipality's representative who applied to a call,
a partner whose scope covers A (śląskie, A's project) and one whose scope does not, a
coordinator and a superuser. Built through the services, as the platform builds it.

Add what a new URL needs as one more attribute of `World` (and one line in `build`).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courses import roles
from courses.models import (
    DeliveryMode,
    Edition,
    Enrolment,
    ExportLog,
    InformationClause,
    PartnerOrganisation,
    Session,
    Voivodeship,
)
from courses.models.advisory import AdvisoryOffer, AdvisoryRequest
from courses.models.recruitment import Call, CallApplication
from courses.services import enrolment_create
from courses.services.advisory import advisory_assign
from courses.services.attendance import session_attach_sheet
from courses.services.communication import calendar_feed_renew
from courses.services.declarations import enrolment_attach_declaration
from courses.services.exports import export_build, export_log_create
from courses.services.privacy import clause_publish
from courses.services.recruitment import ApplicationForm, call_application_submit
from tests.courses.test_advisory import ask, held_meeting, make_offer
from tests.courses.test_recruitment import GMINA, criteria, make_call
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)
from tests.states import completed_enrolment, confirmed_enrolment, past_edition

# What only A, those A's data are for, and staff may ever read (checked in every answer).
PESEL_A = "44051401359"
SURNAME_A = "Właścicielka"
ONLINE_LINK = "https://spotkanie.example.pl/tajny-pokoj-42"

ANON = "anonymous"
TRAINEE_A = "trainee A (owner)"
TRAINEE_B = "trainee B"
TRAINER_OTHER = "trainer of another group"
TRAINER_OWN = "trainer of the group"
ADVISER = "adviser (doradca)"
APPLICANT = "municipality representative"
PARTNER_IN = "partner in scope"
PARTNER_OUT = "partner out of scope"
COORDINATOR = "coordinator"
SUPERUSER = "superuser"

PERSONAS = (
    ANON,
    TRAINEE_A,
    TRAINEE_B,
    TRAINER_OTHER,
    TRAINER_OWN,
    ADVISER,
    APPLICANT,
    PARTNER_IN,
    PARTNER_OUT,
    COORDINATOR,
    SUPERUSER,
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    users: dict = field(default_factory=dict)
    project: object = None
    edition: Edition | None = None  # A's group, over, taught by TRAINER_OWN
    session: Session | None = None  # of `edition`, with a signed sheet
    completed: Enrolment | None = None  # A's, completed, with a certificate
    upcoming: Edition | None = None  # an open edition needing approval
    pending: Enrolment | None = None  # A's, pending, with a declaration scan
    other_edition: Edition | None = None  # B's group, taught by TRAINER_OTHER
    other_enrolment: Enrolment | None = None  # B's
    certificate: object = None
    certificate_batch: object = None
    offer: AdvisoryOffer | None = None
    advisory: AdvisoryRequest | None = None  # A's case, assigned to ADVISER
    meeting: object = None  # a held meeting of A's case (a Session)
    call: Call | None = None
    application: CallApplication | None = None  # APPLICANT's
    export: ExportLog | None = None  # PARTNER_IN's, built
    partner_in: PartnerOrganisation | None = None
    clause: InformationClause | None = None
    calendar_token: str = ""
    extra: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona) or AnonymousUser()


def _trainer(name: str, role: str = roles.TRAINER):
    user = UserFactory(role=role)
    TrainerProfileFactory(user=user, name=name)
    return user


def build() -> World:
    """Every persona and object of the matrix."""
    w = World()
    slaskie = Voivodeship.objects.get(name="śląskie")
    w.project = ProjectFactory(name="Doskonalenie zawodowe")
    w.edition = past_edition(days=2, project=w.project)
    w.session = w.edition.sessions.first()
    w.completed = completed_enrolment(
        edition=w.edition,
        first_name="Alicja",
        last_name=SURNAME_A,
        institution=InstitutionFactory(voivodeship=slaskie),
        pesel=PESEL_A,
    )
    trainee_a = w.completed.trainee
    w.other_edition = past_edition(days=2, project=w.project)
    w.other_enrolment = confirmed_enrolment(
        edition=w.other_edition, first_name="Bogdan", last_name="Inny"
    )
    approval = ProjectFactory(requires_approval=True)
    w.upcoming = EditionFactory(
        project=approval,
        delivery_mode=DeliveryMode.REMOTE,
        online_link=ONLINE_LINK,
        city="",
        venue="",
    )
    Session.objects.create(
        edition=w.upcoming,
        date=w.upcoming.start_date,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    w.pending = enrolment_create(
        trainee=trainee_a, edition=w.upcoming, actor=trainee_a.user
    )
    enrolment_attach_declaration(
        enrolment=w.pending,
        file=SimpleUploadedFile("oswiadczenie.png", png(), "image/png"),
        actor=trainee_a.user,
    )
    own, other = _trainer("dr Anna Własna"), _trainer("Marek Obcy")
    w.edition.trainers.add(own.trainer_profile)
    w.other_edition.trainers.add(other.trainer_profile)
    session_attach_sheet(
        session=w.session,
        file=SimpleUploadedFile("lista.png", png(), "image/png"),
        actor=own,
    )
    adviser = _trainer("Barbara Doradczyni", roles.ADVISER)
    w.offer = make_offer()
    w.advisory = ask(w.offer, trainee=trainee_a)
    advisory_assign(request=w.advisory, adviser=adviser.trainer_profile, actor=None)
    w.advisory.refresh_from_db()  # assigned: the meeting keeps its adviser
    w.meeting = held_meeting(w.advisory)
    applicant = UserFactory(role=roles.TRAINEE)
    w.call = make_call(counties=1, gminas=1)
    income, families, experience = criteria(w.call)
    w.application = call_application_submit(
        call=w.call,
        representative=applicant,
        form=ApplicationForm(
            kind=GMINA,
            authority="Gmina Kożuchów",
            institution="Ośrodek Pomocy Społecznej w Kożuchowie",
            contact_phone="68 355 00 00",
            answers={
                income.pk: Decimal(2100),
                families.pk: Decimal(320),
                experience.pk: True,
            },
            attachments=(),
        ),
    )
    partner_in, partner_out = (
        UserFactory(role=roles.PARTNER),
        UserFactory(role=roles.PARTNER),
    )
    w.partner_in = PartnerOrganisation.objects.create(name="Partner w zakresie")
    w.partner_in.projects.add(w.project)
    w.partner_in.voivodeships.add(slaskie)
    w.partner_in.staff.add(partner_in)
    outside = PartnerOrganisation.objects.create(name="Partner spoza zakresu")
    outside.projects.add(ProjectFactory())
    outside.voivodeships.add(Voivodeship.objects.get(name="opolskie"))
    outside.staff.add(partner_out)
    w.export = export_log_create(
        user=partner_in,
        organisation=w.partner_in,
        kind="enrolments",
        fmt="csv",
        filters={},
    )
    export_build.call(log_id=w.export.pk)
    w.export.refresh_from_db()
    w.clause = clause_publish(
        project=None,
        sections={
            "controllers": "Administrator: Regionalny Ośrodek Polityki Społecznej.",
            "dpo": "iod@rops.example.pl",
            "purposes": "Realizacja projektu (art. 6 ust. 1 lit. c RODO).",
            "recipients": "Instytucja Zarządzająca, partnerzy projektu.",
            "retention": "Do dnia archiwizacji projektu.",
            "rights": "Dostęp, sprostowanie, ograniczenie.",
            "complaint": "Prezes Urzędu Ochrony Danych Osobowych.",
        },
        actor=None,
    )
    w.calendar_token = calendar_feed_renew(user=trainee_a.user).token
    _certificates(w)
    w.users = {
        TRAINEE_A: trainee_a.user,
        TRAINEE_B: w.other_enrolment.trainee.user,
        TRAINER_OTHER: other,
        TRAINER_OWN: own,
        ADVISER: adviser,
        APPLICANT: applicant,
        PARTNER_IN: partner_in,
        PARTNER_OUT: partner_out,
        COORDINATOR: UserFactory(role=roles.COORDINATOR),
        SUPERUSER: UserFactory(is_superuser=True, is_staff=True),
    }
    TraineeFactory(user=applicant, institution=InstitutionFactory())
    return w


def _certificates(w: World) -> None:
    """A's certificate and a batch, when the certificates app is installed."""
    from django.apps import apps

    if not apps.is_installed("certificates"):
        return
    from certificates.models import CertificateBatch
    from certificates.services import certificate_issue

    w.certificate = certificate_issue(enrolment=w.completed, actor=None)
    w.certificate_batch = CertificateBatch.objects.create(
        project=w.project, edition=w.edition, total=1
    )
