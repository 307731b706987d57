"""Demo accounts and pages; running it again changes nothing.

Each area of the demo is its own module with `load(*, users)` (users by e-mail),
listed in DATA_AREAS (run before the course pages) or PAGE_AREAS (after them, with
`home` as well). A module may bring its own accounts in `USERS`, rows like DEMO_USERS.
Every `load` is idempotent: it finds its objects by their natural keys and creates
only what is missing.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail.documents.models import Document
from wagtail.models import Page, Site

from cms import demo_content as content
from cms import demo_materials as materials
from cms.mfa import has_authenticator, needs_mfa
from cms.models import (
    AccessibilityStatementPage,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ProjectInformationPage,
)
from cms.services import OPEN_MATERIALS, course_access_sync, course_workflow_ensure
from courses import demo as courses_demo
from courses import roles
from courses.models import Course, Project, TrainerProfile

# Development-only passwords, listed in README.
# fmt: off
DEMO_USERS = [
    ("admin@szkolenia.test", "Administrator", "Systemu", None, "admin-demo-2026", True),
    ("koordynator@szkolenia.test", "Joanna", "Kowalczyk", roles.COORDINATOR, "koordynator-demo-2026", False),
    ("trener@szkolenia.test", "Anna", "Wójcik", roles.TRAINER, "trener-demo-2026", False),
    ("trener2@szkolenia.test", "Marek", "Zieliński", roles.TRAINER, "trener-demo-2026", False),
    ("partner@szkolenia.test", "Piotr", "Mazur", roles.PARTNER, "partner-demo-2026", False),
    ("uczestnik@szkolenia.test", "Małgorzata", "Lewandowska", roles.TRAINEE, "uczestnik-demo-2026", False),
    ("aspirant@szkolenia.test", "Tomasz", "Kaczmarek", roles.TRAINEE, "uczestnik-demo-2026", False),
    ("dps@szkolenia.test", "Ewa", "Grabowska", roles.TRAINEE, "uczestnik-demo-2026", False),
    ("terapeuta@szkolenia.test", "Agnieszka", "Zając", roles.TRAINEE, "uczestnik-demo-2026", False),
    ("doradca@szkolenia.test", "Barbara", "Michalska", roles.ADVISER, "doradca-demo-2026", False),
    ("gmina@szkolenia.test", "Halina", "Borowska", roles.TRAINEE, "gmina-demo-2026", False),
    ("spoza@szkolenia.test", "Krzysztof", "Wiśniewski", roles.TRAINEE, "uczestnik-demo-2026", False),
]
# fmt: on
# The demo's areas, in order: each a module with `load(*, users)` and maybe `USERS`.
DATA_AREAS = [
    "courses.demo",  # seed 003: the project, editions, trainees, a trainer's group
    "courses.demo_advisory",  # seeds 000/001: advisory in śląskie
    "courses.demo_calls",  # seed 002: the call in lubuskie
    "courses.demo_groups",  # seed 002: the call's result and its working groups
    "courses.demo_coaching",  # seed 002: coaching of social workers
    "courses.demo_journeys",  # issue 10: every state a trainee and a coordinator meet
    "courses.demo_leaders",  # seed 004: Liderzy Kooperacji, state budget, macroregion I
    "certificates.demo",  # certificates of the completed demo trainees
    "evaluation.demo",  # tests before and after ZOUS-SOS-00 and its survey
]
# Areas that need the course pages: `load(*, users, home)`.
PAGE_AREAS: list[str] = [
    "cms.demo_leaders",  # seed 004: the project's page with its state-budget marks
]
# The demo's authenticator-app secret (development only, in README): every demo account
# that must use two-step verification has it, so a code from any TOTP app (or
# `oathtool --totp -b <secret>`) logs them in.
DEMO_TOTP_SECRET = "SZKOLENIAROPSDEMOKOORDYNATORTOTP"


def _installed(area: str) -> bool:
    return apps.is_installed(area.split(".")[0])


class Command(BaseCommand):
    help = "Load the demo accounts and pages (idempotent)."

    # The demo people are invented: their enrolments must not mail anyone or flood
    # the console of `make run` with confirmation e-mails.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def handle(self, *args, **options):
        roles.roles_sync()  # the demo accounts go into the roles, as declared
        # A plug-in's area only when the plug-in is installed (certificates is optional).
        data_areas = [import_module(name) for name in DATA_AREAS if _installed(name)]
        page_areas = [import_module(name) for name in PAGE_AREAS if _installed(name)]
        rows = list(DEMO_USERS)
        for module in [*data_areas, *page_areas]:
            rows += getattr(module, "USERS", [])
        users = [self._user(*row) for row in rows]
        by_email = {user.email: user for user in users}
        trainers = self._trainers(users)
        home = self._home_page()
        index = self._course_index(home)
        for module in data_areas:
            module.load(users=by_email)
        for course in content.COURSES:
            page = self._course_page(index, course, trainers)
            course_access_sync(course_page=page)
            self._lessons(page, materials.LESSONS.get(course["slug"], []))
        course_workflow_ensure(page=index)
        for module in page_areas:
            module.load(users=by_email, home=home)
        for user in users:
            if needs_mfa(user) and not has_authenticator(user):
                TOTP.activate(user, DEMO_TOTP_SECRET)
        self._project_page(home)
        self._accessibility_page(home)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    def _user(self, email, first_name, last_name, role, password, is_superuser):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=email,
            defaults={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    def _trainers(self, users):
        by_email = {user.email: user for user in users}
        trainers = {}
        for data in content.TRAINERS:
            trainer, _ = TrainerProfile.objects.get_or_create(
                name=data["name"],
                defaults={
                    "title": data["title"],
                    "bio": data["bio"],
                    "user": by_email.get(data["email"]),
                },
            )
            trainers[trainer.name] = trainer
        return trainers

    def _home_page(self) -> HomePage:
        existing = HomePage.objects.first()
        if existing:
            return existing
        root = Page.get_first_root_node()
        data = content.HOME
        home = HomePage(
            title=data["title"],
            slug=data["slug"],
            lead=data["lead"],
            about=data["about"],
            funding_info=data["funding_info"],
            projects=[("project", project) for project in data["projects"]],
            show_in_menus=False,
        )
        root.add_child(instance=home)
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "Szkolenia ROPS"
            site.save()
        else:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Szkolenia ROPS",
            )
        # Wagtail's own "Welcome" page is of no use once the real home page exists.
        if old_root and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
        return home

    def _course_index(self, home: HomePage) -> CourseIndexPage:
        existing = CourseIndexPage.objects.child_of(home).first()
        if existing:
            return existing
        data = content.COURSE_INDEX
        index = CourseIndexPage(
            title=data["title"],
            title_en=data["title_en"],
            slug=data["slug"],
            intro=data["intro"],
            show_in_menus=True,
        )
        home.add_child(instance=index)
        return index

    def _course_page(
        self, index: CourseIndexPage, data: dict, trainers: dict
    ) -> CoursePage:
        existing = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
        if existing:
            return existing
        page = CoursePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            delivery=data["delivery"],
            goals=data["goals"],
            target_group=data.get(
                "target_group",
                content.TARGET_GROUP_MACROREGION_II
                + content.TARGET_GROUP_MACROREGION_I,
            ),
            programme=[
                ("topic", {"title": title, "description": description, "hours": hours})
                for title, description, hours in data["programme"]
            ],
        )
        page.trainers = [trainers[name] for name in data["trainers"]]
        page.course = Course.objects.filter(code=data["slug"]).first()
        index.add_child(instance=page)
        return page

    def _lessons(self, course_page: CoursePage, lessons: list[dict]) -> None:
        course_page.refresh_from_db()
        for data in lessons:
            if (
                LessonPage.objects.child_of(course_page)
                .filter(slug=data["slug"])
                .exists()
            ):
                continue
            body = [
                self._block(course_page, data, kind, value)
                for kind, value in data["body"]
            ]
            course_page.add_child(
                instance=LessonPage(
                    title=data["title"],
                    slug=data["slug"],
                    teaser=data["teaser"],
                    restricted=data["restricted"],
                    body=body,
                )
            )

    def _block(self, course_page: CoursePage, lesson: dict, kind: str, value):
        if kind != "document":
            return (kind, value)
        return ("document", {"document": self._document(course_page, value)})

    def _document(self, course_page: CoursePage, key: str) -> Document:
        """The PDF in the course's collection when restricted, else in its open child."""
        data = materials.PDFS[key]
        collection = course_page.materials_collection
        if collection is None:
            raise CommandError(f"{course_page} has no materials collection yet.")
        if not data["restricted"]:
            collection = collection.get_children().get(name=OPEN_MATERIALS)
        existing = Document.objects.filter(
            collection=collection, title=data["title"]
        ).first()
        if existing:
            return existing
        content = _pdf(data["html"])
        document = Document(
            title=data["title"], collection=collection, file_size=len(content)
        )
        document.file.save(f"{key}.pdf", ContentFile(content), save=False)
        document.save()
        return document

    def _project_page(self, home: HomePage) -> None:
        data = materials.PROJECT_PAGE
        if (
            ProjectInformationPage.objects.child_of(home)
            .filter(slug=data["slug"])
            .exists()
        ):
            return
        home.add_child(
            instance=ProjectInformationPage(
                project=Project.objects.filter(
                    code=courses_demo.PROJECT["code"]
                ).first(),
                target_groups=content.TARGET_GROUP_MACROREGION_II,
                **data,
            )
        )

    def _accessibility_page(self, home: HomePage) -> None:
        if AccessibilityStatementPage.objects.exists():
            return
        home.add_child(instance=AccessibilityStatementPage(**materials.ACCESSIBILITY))


_PDF_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 17pt; color: #0b4a6f; } h2 { font-size: 13pt; color: #07324c; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 4pt; }
"""
_pdf_cache: dict[str, bytes] = {}


def _pdf(html: str) -> bytes:
    """A small tagged PDF of a demo material; rendered once per process."""
    if html not in _pdf_cache:
        from weasyprint import HTML

        document = f"<html lang='pl'><head><style>{_PDF_CSS}</style></head><body>{html}</body></html>"
        _pdf_cache[html] = HTML(string=document).write_pdf(pdf_variant="pdf/ua-1")
    return _pdf_cache[html]
