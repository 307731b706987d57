import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from courses import roles
from courses.models import (
    Course,
    Edition,
    Institution,
    InstitutionType,
    Position,
    Project,
    Quota,
    TraineeProfile,
    TrainerProfile,
    Voivodeship,
)
from courses.services import quota_save


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"osoba{n}@example.pl")
    username = factory.SelfAttribute("email")
    first_name = "Jan"
    last_name = "Kowalski"
    password = factory.django.Password("haslo-testowe-123")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"verified": True, "primary": True},
            )

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class TrainerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerProfile

    name = factory.Sequence(lambda n: f"Trener Numer{n}")
    title = "trener"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"POWR.02.05-{n}")
    name = factory.Sequence(lambda n: f"Projekt {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    target_participants = 100


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Pula {n}")
    size = 10

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            names = extracted or ["śląskie"]
            # Through the service, as the admin does: it keeps the rows' project.
            quota_save(
                quota=self, voivodeships=Voivodeship.objects.filter(name__in=names)
            )


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"modul-{n}")
    title = factory.Sequence(lambda n: f"Moduł {n}")
    hours = 16


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    course = factory.SubFactory(CourseFactory)
    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"GR-{n:03d}")
    start_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    end_date = factory.LazyAttribute(
        lambda o: o.start_date + datetime.timedelta(days=1)
    )
    city = "Katowice"
    venue = "Sala konferencyjna ROPS"
    capacity = 20
    enrolment_opens = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    enrolment_closes = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=20)
    )


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Miejski Ośrodek Pomocy Społecznej nr {n}")
    type = InstitutionType.MOPS
    voivodeship = factory.LazyFunction(lambda: Voivodeship.objects.get(name="śląskie"))
    county = "Katowice"
    municipality = "Katowice"


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile

    user = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Nowak{n}")
    gender = "K"
    position = Position.SOCIAL_WORKER
    institution = factory.SubFactory(InstitutionFactory)
