"""The rush's world: seed 003's project and quotas, editions with room, 2,520 trainees."""

import datetime
import math
import os
import random
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.utils import timezone
from django.utils.crypto import get_random_string

from courses import roles
from courses.demo import QUOTAS, REGIONS, RULES
from courses.models import (
    Course,
    Edition,
    EligibilityRule,
    Institution,
    InstitutionType,
    Position,
    Project,
    Quota,
    TraineeProfile,
    Voivodeship,
)
from courses.services import quota_save

# Applicants per quota: 260 and 240 more than the 1,140 and 880 places, so 500 wait.
APPLICANTS = {"Małopolskie i opolskie": 1400, "Śląskie": 1120}
EDITIONS = 12
SEATS = 240  # 12 x 240 = 2,880 seats for 2,520 applicants: the quotas bind, not seats


@dataclass
class Trainee:
    user_id: int
    edition_id: int
    session_key: str
    csrf: str


@dataclass
class World:
    project: Project
    trainees: list[Trainee]
    places: int = 0  # the quotas' places: confirmed at the end of the rush


def build(*, seed: int = 2020, scale: float = 1.0) -> World:
    """Create the project, its quotas, rules and editions, and logged-in trainees.

    `scale` shrinks every quota, seat count and applicant count alike (0.25: 505
    places for 630 applicants), for a quicker run on a loaded machine.
    """
    tag = f"{os.getpid()}-{timezone.now():%H%M%S}"
    sizes = {name: round(size * scale) for name, size, _ in QUOTAS}
    project = Project.objects.create(
        code=f"BENCH-{tag}",
        name="Benchmark: doskonalenie zawodowe, makroregion II",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=365),
        target_participants=sum(sizes.values()),
    )
    regions = {v.name: v for v in Voivodeship.objects.filter(name__in=REGIONS)}
    quota_regions = {}
    for name, _size, names in QUOTAS:
        quota_save(
            quota=Quota(project=project, name=name, size=sizes[name]),
            voivodeships=[regions[n] for n in names],
        )
        quota_regions[name] = names
    for name, types, positions in RULES:
        rule = EligibilityRule.objects.create(
            project=project, name=name, institution_types=types, positions=positions
        )
        rule.voivodeships.set(regions.values())
    now = timezone.now()
    courses = [
        Course.objects.create(code=f"bench-{tag}-{n}", title=f"Moduł {n}", hours=16)
        for n in range(3)
    ]
    editions = [
        Edition.objects.create(
            course=courses[n % len(courses)],
            project=project,
            code=f"BENCH-{tag}-{n:02d}",
            start_date=timezone.localdate() + datetime.timedelta(days=60),
            end_date=timezone.localdate() + datetime.timedelta(days=61),
            city="Katowice",
            capacity=math.ceil(SEATS * scale),
            enrolment_opens=now - datetime.timedelta(days=1),
            enrolment_closes=now + datetime.timedelta(days=30),
        )
        for n in range(EDITIONS)
    ]
    institutions = {
        name: Institution.objects.create(
            name=f"Ośrodek Pomocy Społecznej ({name})",
            type=InstitutionType.MOPS,
            voivodeship=voivodeship,
            county="powiat",
            municipality="gmina",
        )
        for name, voivodeship in regions.items()
    }
    homes = [
        institutions[names[n % len(names)]]
        for quota, count in APPLICANTS.items()
        for names in [quota_regions[quota]]
        for n in range(round(count * scale))
    ]
    trainees = _trainees(tag=tag, homes=homes, editions=editions)
    random.Random(seed).shuffle(trainees)
    return World(project=project, trainees=trainees, places=sum(sizes.values()))


def _trainees(*, tag: str, homes: list[Institution], editions: list[Edition]):
    """A logged-in trainee per home, the n-th assigned to the n-th edition in turn."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(
            username=f"bench-{tag}-{n}@example.pl",
            email=f"bench-{tag}-{n}@example.pl",
            password=make_password(None),
        )
        for n in range(len(homes))
    )
    group = Group.objects.get(name=roles.TRAINEE)
    user_model.groups.through.objects.bulk_create(
        user_model.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    TraineeProfile.objects.bulk_create(
        TraineeProfile(
            user=user,
            first_name="Anna",
            last_name=f"Nowak{n}",
            gender="K",
            position=Position.SOCIAL_WORKER,
            institution=home,
        )
        for n, (user, home) in enumerate(zip(users, homes, strict=True))
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    trainees = []
    for n, user in enumerate(users):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "cms.auth_backends.PermissionsBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        trainees.append(
            Trainee(
                user_id=user.pk,
                edition_id=editions[n % len(editions)].pk,
                session_key=session.session_key,
                csrf=get_random_string(32, CSRF_ALLOWED_CHARS),
            )
        )
    return trainees


def build_uncontended(*, pools: int = 16, per_pool: int = 80) -> World:
    """The control: one quota pool per client, so no request waits for another's lock.

    One quota per voivodeship (16 at most), one edition per quota, seats and places
    for everyone. The trainees are ordered round-robin over the pools: with as many
    clients as pools, the requests in flight at once hold different locks. Every rule
    still applies (eligibility, the quota's persons, the edition's seats).
    """
    tag = f"u{os.getpid()}-{timezone.now():%H%M%S}"
    project = Project.objects.create(
        code=f"BENCH-{tag}",
        name="Benchmark: kontrola bez rywalizacji",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=365),
        target_participants=pools * per_pool,
    )
    voivodeships = list(Voivodeship.objects.order_by("pk")[:pools])
    for voivodeship in voivodeships:
        quota_save(
            quota=Quota(project=project, name=voivodeship.name, size=per_pool * 2),
            voivodeships=[voivodeship],
        )
    for name, types, positions in RULES:
        rule = EligibilityRule.objects.create(
            project=project, name=name, institution_types=types, positions=positions
        )
        rule.voivodeships.set(voivodeships)
    now = timezone.now()
    course = Course.objects.create(code=f"bench-{tag}", title="Moduł", hours=16)
    editions = [
        Edition.objects.create(
            course=course,
            project=project,
            code=f"BENCH-{tag}-{n:02d}",
            start_date=timezone.localdate() + datetime.timedelta(days=60),
            end_date=timezone.localdate() + datetime.timedelta(days=61),
            city="Katowice",
            capacity=per_pool * 2,
            enrolment_opens=now - datetime.timedelta(days=1),
            enrolment_closes=now + datetime.timedelta(days=30),
        )
        for n in range(len(voivodeships))
    ]
    homes = [
        Institution.objects.create(
            name=f"Ośrodek Pomocy Społecznej ({v.name}, kontrola)",
            type=InstitutionType.MOPS,
            voivodeship=v,
            county="powiat",
            municipality="gmina",
        )
        for v in voivodeships
    ]
    # Round-robin: the n-th trainee is from the n-th pool and enrols in its edition.
    trainees = _trainees(
        tag=tag,
        homes=[homes[n % len(homes)] for n in range(len(homes) * per_pool)],
        editions=editions,
    )
    return World(project=project, trainees=trainees)


@dataclass
class Mix:
    """The realistic mix: approval on, full editions, second modules, withdrawals."""

    project: Project
    withdrawals: list[tuple[Trainee, int]]  # (trainee, their enrolment to withdraw)
    second_module: list[Trainee]  # already hold a place: enrol in module 2
    new: list[Trainee]  # first enrolment, some into full editions
    import_csv: bytes  # enrolments of more trainees, imported during the rush
    imported: int


def build_mix(*, seed: int = 2021, scale: float = 1.0) -> Mix:
    """Approval on; module 1's editions full with a waiting list; module 2 filling up.

    Before the rush, through the services: module 1's two editions are filled
    (pending places) and have a waiting list. During the rush a quarter of those
    holding a module 1 place withdraw (the first waiting are promoted), the others
    enrol in module 2 (a second module: their quota place is already theirs), new
    trainees enrol (most in module 2, some in module 1's full editions: waitlisted)
    and a coordinator imports more enrolments into module 2.
    """
    from courses.services import enrolment_create

    tag = f"m{os.getpid()}-{timezone.now():%H%M%S}"
    full, roomy, waiting = (max(2, round(n * scale)) for n in (40, 100, 20))
    project = Project.objects.create(
        code=f"BENCH-{tag}",
        name="Benchmark: realistyczna mieszanka",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=365),
        target_participants=4000,
        requires_approval=True,
        pending_hold_days=7,
    )
    regions = {v.name: v for v in Voivodeship.objects.filter(name__in=REGIONS)}
    for name, _size, names in QUOTAS:
        quota_save(
            quota=Quota(project=project, name=name, size=2000),
            voivodeships=[regions[n] for n in names],
        )
    for name, types, positions in RULES:
        rule = EligibilityRule.objects.create(
            project=project, name=name, institution_types=types, positions=positions
        )
        rule.voivodeships.set(regions.values())
    now = timezone.now()
    modules = [
        Course.objects.create(code=f"bench-{tag}-{n}", title=f"Moduł {n}", hours=16)
        for n in (1, 2)
    ]

    def edition(module: int, n: int, capacity: int) -> Edition:
        return Edition.objects.create(
            course=modules[module],
            project=project,
            code=f"BENCH-{tag}-{module + 1}-{n}",
            start_date=timezone.localdate() + datetime.timedelta(days=60 + n),
            end_date=timezone.localdate() + datetime.timedelta(days=61 + n),
            city="Katowice",
            capacity=capacity,
            enrolment_opens=now - datetime.timedelta(days=1),
            enrolment_closes=now + datetime.timedelta(days=30),
        )

    first = [edition(0, n, full) for n in range(2)]
    second = [edition(1, n, roomy) for n in range(4)]
    institutions = [
        Institution.objects.create(
            name=f"Ośrodek Pomocy Społecznej ({name}, mieszanka)",
            type=InstitutionType.MOPS,
            voivodeship=voivodeship,
            county="powiat",
            municipality="gmina",
        )
        for name, voivodeship in regions.items()
    ]
    holders_n, waiting_n = 2 * full, 2 * waiting
    new_n, imported_n = round(300 * scale), round(150 * scale)
    count = holders_n + waiting_n + new_n + imported_n
    people = _trainees(
        tag=tag,
        homes=[institutions[n % len(institutions)] for n in range(count)],
        editions=second,  # the n-th to module 2's n-th edition in turn
    )
    holders = people[:holders_n]
    queue = people[holders_n : holders_n + waiting_n]
    new = people[holders_n + waiting_n : holders_n + waiting_n + new_n]
    to_import = people[holders_n + waiting_n + new_n :]
    profiles = {
        t.user_id: t
        for t in TraineeProfile.objects.select_related("institution").filter(
            user_id__in=[p.user_id for p in holders + queue]
        )
    }
    held = {}
    for n, person in enumerate(holders + queue):
        enrolment = enrolment_create(
            trainee=profiles[person.user_id], edition=first[n % 2]
        )
        held[person.user_id] = enrolment.pk
    rng = random.Random(seed)
    rng.shuffle(holders)
    quarter = len(holders) // 4
    withdrawals = [(t, held[t.user_id]) for t in holders[:quarter]]
    # A fifth of the new trainees try module 1's full editions.
    for n, person in enumerate(new):
        if n % 5 == 0:
            person.edition_id = first[n % 2].pk
    users = dict(
        get_user_model()
        .objects.filter(pk__in=[t.user_id for t in to_import])
        .values_list("pk", "email")
    )
    csv = "E-mail;Grupa\n" + "".join(
        f"{users[t.user_id]};{second[n % len(second)].code}\n"
        for n, t in enumerate(to_import)
    )
    return Mix(
        project=project,
        withdrawals=withdrawals,
        second_module=holders[quarter:],
        new=new,
        import_csv=csv.encode(),
        imported=len(to_import),
    )
