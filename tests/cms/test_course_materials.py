"""Who sees a course's restricted lessons and files, who edits its pages, search."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from cms.models import (
    AccessibilityStatementPage,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ProjectInformationPage,
)
from cms.services import OPEN_MATERIALS, course_access_sync, course_workflow_ensure
from courses import roles
from courses.models import EnrolmentStatus, PartnerOrganisation
from courses.selectors import user_may_see_course_materials
from courses.services import enrolment_create, enrolment_withdraw
from tests.factories import (
    CourseFactory,
    EditionFactory,
    ProjectFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)
from tests.states import completed_enrolment, past_edition

SECRET = "Wskaźnikprzeglądu"  # a word that appears only in the restricted body
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Document = get_document_model()
document_policy = policy_registry.get_by_type(Document)


def _document(*, title, collection):
    document = Document(title=title, collection=collection)
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def world(db):
    """One course with an open and a restricted lesson, its people and another course."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Start", slug="start-testowy"))
    # save(), not update(): it clears Wagtail's cached site root paths.
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = home.add_child(instance=CourseIndexPage(title="Szkolenia", slug="szk"))
    project = ProjectFactory()
    course, other_course = CourseFactory(), CourseFactory()
    edition = EditionFactory(course=course, project=project)
    other_edition = EditionFactory(course=other_course)
    people = {
        "trainer": UserFactory(role=roles.TRAINER),
        "page_trainer": UserFactory(role=roles.TRAINER),
        "other_trainer": UserFactory(role=roles.TRAINER),
        "coordinator": UserFactory(role=roles.COORDINATOR),
        "partner": UserFactory(role=roles.PARTNER),
        "other_partner": UserFactory(role=roles.PARTNER),
    }
    edition.trainers.add(TrainerProfileFactory(user=people["trainer"]))
    page_trainer = TrainerProfileFactory(user=people["page_trainer"])
    other_edition.trainers.add(TrainerProfileFactory(user=people["other_trainer"]))
    for role in ("enrolled", "withdrawn", "other_course_trainee"):
        trainee = TraineeFactory()
        target = other_edition if role == "other_course_trainee" else edition
        enrolment = enrolment_create(trainee=trainee, edition=target)
        assert enrolment.status == EnrolmentStatus.CONFIRMED
        if role == "withdrawn":
            enrolment_withdraw(enrolment=enrolment, actor=trainee.user)
        people[role] = trainee.user
    # Completed in an earlier edition of the same course.
    people["completed"] = completed_enrolment(
        edition=past_edition(course=course, project=project)
    ).trainee.user
    people["not_enrolled"] = TraineeFactory().user
    authorised = PartnerOrganisation.objects.create(name="Stowarzyszenie Razem")
    authorised.projects.add(project)
    authorised.staff.add(people["partner"])
    elsewhere = PartnerOrganisation.objects.create(name="Fundacja Obok")
    elsewhere.projects.add(other_edition.project)
    elsewhere.staff.add(people["other_partner"])

    course_page = CoursePage(
        title="Moduł testowy", slug="modul", summary="Krótko.", course=course
    )
    course_page.trainers = [page_trainer]
    index.add_child(instance=course_page)
    other_page = index.add_child(
        instance=CoursePage(
            title="Inny moduł", slug="inny", summary="Inny.", course=other_course
        )
    )
    for page in (course_page, other_page):
        course_access_sync(course_page=page)
    course_page.refresh_from_db()
    restricted_doc = _document(
        title="Harmonogram-zastrzezony", collection=course_page.materials_collection
    )
    open_doc = _document(
        title="Notatka-otwarta",
        collection=course_page.materials_collection.get_children().get(
            name=OPEN_MATERIALS
        ),
    )
    open_lesson = course_page.add_child(
        instance=LessonPage(
            title="Podstawy prawne",
            slug="podstawy",
            teaser="Czym są usługi społeczne.",
            body=[
                ("paragraph", "<p>Treść otwarta o ustawie.</p>"),
                ("document", {"document": open_doc}),
            ],
        )
    )
    locked_lesson = course_page.add_child(
        instance=LessonPage(
            title="Przekształcenie krok po kroku",
            slug="przeksztalcenie",
            teaser="Harmonogram z komentarzem trenerki.",
            restricted=True,
            body=[
                ("heading", "Etapy"),
                ("paragraph", f"<p>{SECRET} co pół roku.</p>"),
                ("document", {"document": restricted_doc}),
            ],
        )
    )
    return {
        "people": people,
        "course": course,
        "edition": edition,
        "index": index,
        "course_page": course_page,
        "other_page": other_page,
        "open_lesson": open_lesson,
        "locked_lesson": locked_lesson,
        "restricted_doc": restricted_doc,
        "open_doc": open_doc,
    }


ENTITLED = [
    "enrolled",
    "completed",
    "trainer",
    "page_trainer",
    "partner",
    "coordinator",
]
NOT_ENTITLED = [
    "anonymous",
    "not_enrolled",
    "withdrawn",
    "other_course_trainee",
    "other_trainer",
    "other_partner",
]


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else world["people"][role]


@pytest.mark.parametrize("role", ENTITLED + NOT_ENTITLED)
def test_the_selector_admits_exactly_the_entitled(world, role):
    allowed = user_may_see_course_materials(
        user=_user(world, role), course=world["course"]
    )
    assert allowed is (role in ENTITLED)


@pytest.mark.parametrize("role", ENTITLED)
def test_entitled_read_the_restricted_lesson_and_download_its_file(world, client, role):
    _login(client, world, role)
    response = client.get(world["locked_lesson"].url)
    body = response.content.decode()
    assert response.status_code == 200
    assert SECRET in body
    assert "private" in response["Cache-Control"]
    # No prompt to log in or to enrol in front of what they may read.
    assert "Dla uczestników i uprawnionych organizacji" not in body
    assert "/konto/login/?next=" not in body
    response = client.get(world["restricted_doc"].url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_others_see_title_teaser_and_prompt_never_the_body(world, client, role):
    _login(client, world, role)
    response = client.get(world["locked_lesson"].url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Przekształcenie krok po kroku" in body
    assert "Harmonogram z komentarzem trenerki." in body
    assert SECRET not in body
    assert world["restricted_doc"].url not in body
    assert "Dla uczestników i uprawnionych organizacji" in body
    if role == "anonymous":
        assert "/konto/login/?next=" in body


@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_others_are_refused_the_restricted_file(world, client, role):
    _login(client, world, role)
    response = client.get(world["restricted_doc"].url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=/dokumenty/")
    else:
        assert response.status_code == 403
        assert "Brak dostępu do tego pliku" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "not_enrolled", "enrolled"])
def test_open_lessons_and_files_are_open_to_everyone(world, client, role):
    _login(client, world, role)
    response = client.get(world["open_lesson"].url)
    assert "Treść otwarta o ustawie." in response.content.decode()
    assert client.get(world["open_doc"].url).status_code == 200


def test_documents_are_not_reachable_as_media(world, client):
    """Only the checked view serves files; /media/documents/ is no URL of the site."""
    document = world["restricted_doc"]
    assert document.url.startswith("/dokumenty/")
    assert client.get("/media/" + document.file.name).status_code == 404


@pytest.mark.parametrize(
    ("role", "locked"),
    [("anonymous", True), ("not_enrolled", True), ("enrolled", False)],
)
def test_course_page_lists_materials_with_a_lock_for_those_not_entitled(
    world, client, role, locked
):
    _login(client, world, role)
    body = client.get(world["course_page"].url).content.decode()
    assert "Lekcje i materiały" in body
    assert "Podstawy prawne" in body and "Przekształcenie krok po kroku" in body
    assert ("Tylko dla uczestników" in body) is locked
    assert SECRET not in body


@pytest.mark.parametrize("role", ENTITLED + NOT_ENTITLED)
def test_search_never_reveals_restricted_content(world, client, role):
    _login(client, world, role)
    by_body = client.get("/szukaj/", {"q": SECRET}).content.decode()
    by_teaser = client.get("/szukaj/", {"q": "komentarzem"}).content.decode()
    if role in ENTITLED:
        assert "Przekształcenie krok po kroku" in by_body
    else:
        assert "Przekształcenie krok po kroku" not in by_body
        assert "0 wyników" in by_body
        # Found by its teaser, shown locked, with nothing of the body.
        assert "Przekształcenie krok po kroku" in by_teaser
        assert "Tylko dla uczestników" in by_teaser
    assert SECRET not in by_teaser


def test_search_page_has_a_labelled_form(world, client):
    body = client.get("/szukaj/").content.decode()
    assert 'role="search"' in body
    assert '<label for="search-q">' in body


def test_trainers_edit_only_their_own_course(world, client):
    people, course_page = world["people"], world["course_page"]
    edit = f"/admin/pages/{course_page.pk}/edit/"
    lesson_edit = f"/admin/pages/{world['locked_lesson'].pk}/edit/"
    client.force_login(people["trainer"])
    assert client.get(edit).status_code == 200
    assert client.get(lesson_edit).status_code == 200
    client.force_login(people["other_trainer"])
    assert client.get(edit).status_code in (302, 403)
    assert client.get(lesson_edit).status_code in (302, 403)
    other_edit = f"/admin/pages/{world['other_page'].pk}/edit/"
    assert client.get(other_edit).status_code == 200
    # Publishing is not theirs: it goes through the coordinator's approval.
    perms = course_page.permissions_for_user(people["trainer"])
    assert perms.can_edit() and not perms.can_publish()


def test_trainers_upload_only_to_their_courses_collections(world):
    people, course_page = world["people"], world["course_page"]
    own = set(
        document_policy.collections_user_has_permission_for(people["trainer"], "add")
    )
    course_collection = course_page.materials_collection
    assert course_collection in own
    assert course_collection.get_children().get(name=OPEN_MATERIALS) in own
    assert world["other_page"].materials_collection not in own
    other = set(
        document_policy.collections_user_has_permission_for(
            people["other_trainer"], "add"
        )
    )
    assert course_collection not in other


def test_edition_trainer_changes_resync_the_course_group(world):
    people, course_page = world["people"], world["course_page"]
    newcomer = UserFactory(role=roles.TRAINER)
    edition = world["edition"]
    edition.trainers.add(TrainerProfileFactory(user=newcomer))
    group = course_page.materials_collection.group_permissions.first().group
    assert newcomer in group.user_set.all()
    edition.trainers.remove(newcomer.trainer_profile)
    assert newcomer not in group.user_set.all()
    assert set(group.user_set.all()) == {people["trainer"], people["page_trainer"]}


def test_trainer_submits_coordinator_sends_back_with_a_comment(world, mailoutbox):
    people, lesson = world["people"], world["locked_lesson"]
    workflow = course_workflow_ensure(page=world["index"])
    assert lesson.get_workflow() == workflow
    lesson.title = "Przekształcenie – wersja 2"
    lesson.save_revision(user=people["trainer"])
    workflow.start(lesson, people["trainer"])
    lesson.refresh_from_db()
    task_state = lesson.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(lesson, people["coordinator"])
    assert not task.get_actions(lesson, people["trainer"])
    mailoutbox.clear()
    task.on_action(task_state, people["coordinator"], "reject", comment="Dodaj źródła.")
    lesson.refresh_from_db()
    assert lesson.title == "Przekształcenie krok po kroku"  # not published
    sent_to_trainer = [m for m in mailoutbox if people["trainer"].email in m.to]
    assert sent_to_trainer
    assert "Dodaj źródła." in sent_to_trainer[0].body


def test_coordinator_approval_publishes(world):
    people, lesson = world["people"], world["locked_lesson"]
    workflow = course_workflow_ensure(page=world["index"])
    lesson.title = "Przekształcenie – wersja 2"
    lesson.save_revision(user=people["trainer"])
    workflow.start(lesson, people["trainer"])
    lesson.refresh_from_db()
    task_state = lesson.current_workflow_task_state
    task_state.task.specific.on_action(task_state, people["coordinator"], "approve")
    lesson.refresh_from_db()
    assert lesson.live and lesson.title == "Przekształcenie – wersja 2"


@pytest.mark.django_db
def test_demo_data_adds_materials_project_and_accessibility_pages(client):
    call_command("load_demo_data", verbosity=0)
    counts = (LessonPage.objects.count(), Document.objects.count())
    assert LessonPage.objects.filter(restricted=True).exists()
    assert LessonPage.objects.filter(restricted=False).exists()
    for lesson in LessonPage.objects.all():
        assert lesson.teaser
    project_page = ProjectInformationPage.objects.get(slug="o-projekcie")
    body = client.get(project_page.url).content.decode().replace("\xa0", " ")
    assert "1 007 997,60 zł" in body and "849 540,38 zł" in body
    assert "Działanie" in body or "2.5" in body
    statement = AccessibilityStatementPage.objects.get()
    body = client.get(statement.url).content.decode()
    for section in [
        "a11y-status",
        "a11y-kontakt",
        "a11y-procedura",
        "a11y-architektura",
    ]:
        assert f'id="{section}"' in body
    assert "Rzecznika Praw Obywatelskich" in body
    call_command("load_demo_data", verbosity=0)
    assert (LessonPage.objects.count(), Document.objects.count()) == counts


def test_linking_a_trainer_profile_to_an_account_gives_the_account_the_course(world):
    profile = TrainerProfileFactory()
    world["edition"].trainers.add(profile)
    account = UserFactory(role=roles.TRAINER)
    profile.user = account
    profile.save()
    perms = world["course_page"].permissions_for_user(account)
    assert perms.can_edit()
    assert not world["other_page"].permissions_for_user(account).can_edit()
