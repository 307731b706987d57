"""Advisory and coaching: a request becomes an enrolment in a case of its own.

The case is an unlisted edition of the offer's module with one seat (the person who
asked): the enrolment goes through `enrolment_create`, so the project's eligibility
rules, its quota of persons and the approval with the signed declaration apply as to
any training. Meetings are the case's sessions; the adviser's record marks attendance
through `attendance_mark`, and completion and the certificate follow from there.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..models import (
    AdvisoryForm,
    AdvisoryMeeting,
    AdvisoryMode,
    AdvisoryOffer,
    AdvisoryRequest,
    DeliveryMode,
    Edition,
    EnrolmentStatus,
    RequestChannel,
    Session,
    TraineeProfile,
    TrainerProfile,
)
from ..models.advisory import GROUP_MAX, GROUP_MIN
from .actors import Actor, actor_user
from .attendance import attendance_mark
from .enrolment import enrolment_create
from .locking import locking_transaction


class AdvisoryError(EnrolmentError):
    """A rule of advisory requests and meetings said no."""


@dataclass(frozen=True)
class Participant:
    """Another member of a group request: who they are and where they work."""

    name: str
    institution: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "institution": self.institution}


@dataclass(frozen=True)
class RequestDetails:
    """What a person asks for: the form's answers, whoever typed them in."""

    topics: Sequence[str]
    form: str
    mode: str
    preferred_dates: str
    place: str = ""
    participants: Sequence[Participant] = ()
    indirect_recipients: int = 0


def _details_problems(*, offer: AdvisoryOffer, details: RequestDetails) -> dict:
    problems: dict[str, str] = {}
    unknown = [topic for topic in details.topics if topic not in offer.topic_list]
    if not details.topics:
        problems["topics"] = _("Choose at least one topic.")
    elif unknown:
        problems["topics"] = _("These topics are not offered: %(topics)s.") % {
            "topics": "; ".join(unknown)
        }
    size = 1 + len(details.participants)
    if details.form == AdvisoryForm.GROUP and not GROUP_MIN <= size <= GROUP_MAX:
        problems["participants"] = _(
            "A group has %(min)s to %(max)s people with you: list %(low)s to %(high)s "
            "other participants (you listed %(count)s)."
        ) % {
            "min": GROUP_MIN,
            "max": GROUP_MAX,
            "low": GROUP_MIN - 1,
            "high": GROUP_MAX - 1,
            "count": len(details.participants),
        }
    if details.form == AdvisoryForm.INDIVIDUAL and details.participants:
        problems["participants"] = _(
            "Individual advice is for you alone: choose group advice to bring others."
        )
    if any(
        not p.name.strip() or not p.institution.strip() for p in details.participants
    ):
        problems["participants"] = _(
            "Give each other participant's name and institution."
        )
    if details.mode not in AdvisoryMode.values:
        problems["mode"] = _("Choose how the advice is to be given.")
    elif details.mode == AdvisoryMode.AGREED_PLACE and not details.place.strip():
        problems["place"] = _("Give the place you propose for the meeting.")
    if not details.preferred_dates.strip():
        problems["preferred_dates"] = _("Give the dates that suit you.")
    return problems


def _case_edition(*, offer: AdvisoryOffer, details: RequestDetails) -> Edition:
    """An unlisted edition of the offer's module for this request: one seat."""
    now = timezone.now()
    remote = details.mode in AdvisoryMode.remote()
    edition = Edition(
        course=offer.course,
        project=offer.project,
        code=f"{offer.code}-{uuid.uuid4().hex[:8]}",
        # The first booked meeting moves the start; until then the person may withdraw.
        start_date=offer.ends_on,
        end_date=offer.ends_on,
        delivery_mode=DeliveryMode.REMOTE if remote else DeliveryMode.WORKPLACE,
        venue=details.place,
        capacity=1,
        enrolment_opens=now,
        enrolment_closes=now + timedelta(days=1),
        is_published=True,
    )
    edition.full_clean()
    edition.save()
    return edition


def advisory_request_create(
    *,
    offer: AdvisoryOffer,
    trainee: TraineeProfile,
    details: RequestDetails,
    actor: Actor,
    channel: str = RequestChannel.ONLINE,
    received_on: date | None = None,
) -> AdvisoryRequest:
    """Take a request for advice: the case, the enrolment in it, the answers; or nothing.

    `received_on`: the day a request by phone or e-mail came, when the coordinator
    enters it later (from the project's register): the offer must have been open
    that day, and the request keeps it as the day it was received.
    """
    today = timezone.localdate()
    if received_on is not None and (
        channel == RequestChannel.ONLINE or received_on > today
    ):
        raise AdvisoryError(
            _(
                "Only a request received by phone or e-mail on a past day is back-dated."
            ),
            code="received_on",
        )
    if received_on is not None and received_on < offer.starts_on:
        raise AdvisoryError(
            _("The offer starts on %(date)s: a request cannot be received before.")
            % {"date": date_format(offer.starts_on, "SHORT_DATE_FORMAT")},
            code="received_on",
        )
    if not offer.is_open(on=received_on or today):
        raise AdvisoryError(
            _("This offer ended on %(date)s: requests are no longer taken.")
            % {"date": date_format(offer.ends_on, "SHORT_DATE_FORMAT")},
            code="closed",
        )
    problems = _details_problems(offer=offer, details=details)
    if problems:
        field, message = next(iter(problems.items()))
        raise AdvisoryError(message, code=field)
    with transaction.atomic():
        edition = _case_edition(offer=offer, details=details)
        enrolment = enrolment_create(trainee=trainee, edition=edition, actor=actor)
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            raise AdvisoryError(
                _(
                    "The project has no places left for your voivodeship: the request "
                    "cannot be taken."
                ),
                code="full",
            )
        request = AdvisoryRequest(
            offer=offer,
            enrolment=enrolment,
            topics=list(details.topics),
            form=details.form,
            participants=[p.as_dict() for p in details.participants],
            mode=details.mode,
            place=details.place.strip(),
            preferred_dates=details.preferred_dates.strip(),
            indirect_recipients=details.indirect_recipients,
            channel=channel,
            entered_by=actor_user(actor) if channel != RequestChannel.ONLINE else None,
        )
        request.full_clean()
        request.save()
        if received_on is not None:
            request.created_at = timezone.make_aware(
                datetime.combine(received_on, time(12))
            )
            AdvisoryRequest.objects.filter(pk=request.pk).update(
                created_at=request.created_at
            )
    return request


def advisory_assign(
    *, request: AdvisoryRequest, adviser: TrainerProfile, actor: Actor
) -> AdvisoryRequest:
    """Give the case to an adviser: they see it in "Moje doradztwo" and keep its record."""
    with locking_transaction():
        request = AdvisoryRequest.objects.select_for_update().get(pk=request.pk)
        _check_live(request=request)
        edition = request.enrolment.edition
        request.adviser = adviser
        request.save(update_fields=["adviser"])
        edition.trainers.set([adviser])
    return request


def _check_live(*, request: AdvisoryRequest) -> None:
    status = request.enrolment.status
    if status not in (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED):
        raise AdvisoryError(
            _("This request is already %(status)s.")
            % {"status": request.enrolment.get_status_display()},
            code="wrong_status",
        )


def advisory_meeting_book(
    *,
    request: AdvisoryRequest,
    on: date,
    start_time: time,
    end_time: time,
    place: str,
    actor: Actor,
) -> Session:
    """Book a meeting of the case within the offer's period."""
    offer = request.offer
    if not offer.starts_on <= on <= offer.ends_on:
        raise AdvisoryError(
            _("Book the meeting between %(start)s and %(end)s, the offer's period.")
            % {
                "start": date_format(offer.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(offer.ends_on, "SHORT_DATE_FORMAT"),
            },
            code="date",
        )
    if end_time <= start_time:
        raise AdvisoryError(_("The meeting must end after it starts."), code="end_time")
    with locking_transaction():
        request = AdvisoryRequest.objects.select_for_update().get(pk=request.pk)
        _check_live(request=request)
        if request.adviser_id is None:
            raise AdvisoryError(
                _("Assign an adviser before booking a meeting."), code="adviser"
            )
        # The adviser's row is the lock of their calendar: two coordinators booking
        # the same hour for two cases of one adviser are served one after the other.
        TrainerProfile.objects.select_for_update().filter(pk=request.adviser_id).get()
        clash = (
            Session.objects.filter(
                edition__trainers=request.adviser_id,
                date=on,
                start_time__lt=end_time,
                end_time__gt=start_time,
            )
            .select_related("edition")
            .first()
        )
        if clash is not None:
            raise AdvisoryError(
                _(
                    "%(adviser)s already has a meeting on %(date)s from %(start)s to "
                    "%(end)s: choose another time."
                )
                % {
                    "adviser": request.adviser,
                    "date": date_format(clash.date, "SHORT_DATE_FORMAT"),
                    "start": clash.start_time.strftime("%H:%M"),
                    "end": clash.end_time.strftime("%H:%M"),
                },
                code="start_time",
            )
        edition = Edition.objects.select_for_update().get(
            pk=request.enrolment.edition_id
        )
        session = Session(
            edition=edition,
            date=on,
            start_time=start_time,
            end_time=end_time,
            place=place.strip() or edition.venue,
        )
        try:
            session.full_clean()
        except ValidationError as error:
            raise AdvisoryError(" ".join(error.messages), code="invalid") from error
        session.save()
        _fit_edition_dates(edition=edition)
    return session


def _fit_edition_dates(*, edition: Edition) -> None:
    dates = list(edition.sessions.order_by("date").values_list("date", flat=True))
    edition.start_date, edition.end_date = dates[0], dates[-1]
    edition.save(update_fields=["start_date", "end_date"])


def advisory_meeting_record(
    *,
    session: Session,
    mode: str,
    topics: Sequence[str],
    note: str,
    requester_present: bool,
    attendees: Sequence[str],
    actor: Actor,
) -> AdvisoryMeeting:
    """The adviser's record of a held meeting; attendance goes to the attendance list."""
    request = (
        AdvisoryRequest.objects.select_related("enrolment", "offer")
        .filter(enrolment__edition_id=session.edition_id)
        .get()
    )
    if session.date > timezone.localdate():
        raise AdvisoryError(
            _("A meeting can be recorded once it has taken place (%(date)s).")
            % {"date": date_format(session.date, "SHORT_DATE_FORMAT")},
            code="future",
        )
    if request.enrolment.status != EnrolmentStatus.CONFIRMED:
        raise AdvisoryError(
            _(
                "The request is %(status)s: the coordinator confirms it (with the "
                "signed declaration) before meetings are recorded."
            )
            % {"status": request.enrolment.get_status_display()},
            code="wrong_status",
        )
    if mode not in AdvisoryMode.values:
        raise AdvisoryError(_("Choose how the meeting was held."), code="mode")
    unknown = [t for t in topics if t not in request.offer.topic_list]
    if not topics or unknown:
        raise AdvisoryError(_("Choose the topics discussed."), code="topics")
    names = {p["name"] for p in request.participants}
    strangers = [name for name in attendees if name not in names]
    if strangers:
        raise AdvisoryError(
            _("Not in the request's group: %(names)s.")
            % {"names": ", ".join(strangers)},
            code="attendees",
        )
    with locking_transaction():
        attendance_mark(
            enrolment=request.enrolment,
            session=session,
            present=requester_present,
            actor=actor,
        )
        meeting, _created = AdvisoryMeeting.objects.select_for_update().get_or_create(
            session=session,
            defaults={"mode": mode, "recorded_at": timezone.now()},
        )
        meeting.mode = mode
        meeting.topics = list(topics)
        meeting.note = note.strip()
        meeting.attendees = sorted(set(attendees))
        meeting.participants_present = int(requester_present) + len(meeting.attendees)
        meeting.recorded_by = actor_user(actor)
        meeting.recorded_at = timezone.now()
        meeting.full_clean()
        meeting.save()
    return meeting
