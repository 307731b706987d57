"""Writes of the site: who may edit a course's pages and files, and how they get published."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from courses.roles import COORDINATOR

from .models import CoursePage

MATERIALS_ROOT = "Materiały szkoleń"
OPEN_MATERIALS = "Materiały otwarte"
GROUP_PREFIX = "Trenerzy: "
WORKFLOW_NAME = "Akceptacja koordynatora"
# Trainers draft and submit; publishing is the coordinator's step of the workflow.
PAGE_PERMISSIONS = ["add_page", "change_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def _child_collection(*, parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name)


def _materials_collection(*, course_page: CoursePage) -> Collection:
    """The course's collection (restricted files) with an open child collection."""
    collection = course_page.materials_collection
    if collection is None:
        root = _child_collection(
            parent=Collection.get_first_root_node(), name=MATERIALS_ROOT
        )
        collection = _child_collection(parent=root, name=course_page.title[:255])
        CoursePage.objects.filter(pk=course_page.pk).update(
            materials_collection=collection
        )
        course_page.materials_collection = collection
    _child_collection(parent=collection, name=OPEN_MATERIALS)
    return collection


def _trainer_group(*, course_page: CoursePage) -> Group:
    """The page's own group, found by its permission so that a new title renames it."""
    name = (GROUP_PREFIX + course_page.title)[:150]
    group = Group.objects.filter(
        page_permissions__page=course_page, name__startswith=GROUP_PREFIX
    ).first()
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def course_trainer_users(*, course_page: CoursePage):
    """Users who teach the course: named on its page or trainers of its editions."""
    who = Q(trainer_profile__in=course_page.trainers.all())
    if course_page.course_id:
        who |= Q(trainer_profile__editions__course_id=course_page.course_id)
    return get_user_model().objects.filter(who).distinct()


def course_access_sync(*, course_page: CoursePage) -> Group:
    """Give the course's trainers, and only them, its page subtree and its collection."""
    with transaction.atomic():
        collection = _materials_collection(course_page=course_page)
        group = _trainer_group(course_page=course_page)
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=Page.objects.get(pk=course_page.pk),
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
        group.user_set.set(course_trainer_users(course_page=course_page))
    return group


def course_access_sync_for_course(*, course_id: int) -> None:
    """After a change of an edition's trainers: resync every page of that course."""
    for course_page in CoursePage.objects.filter(course_id=course_id):
        course_access_sync(course_page=course_page)


def course_workflow_ensure(*, page: Page) -> Workflow:
    """The trainer submits, a coordinator approves or sends back: for the page's subtree."""
    with transaction.atomic():
        workflow, _ = Workflow.objects.get_or_create(
            name=WORKFLOW_NAME, defaults={"active": True}
        )
        task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([Group.objects.get(name=COORDINATOR)])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": 0}
        )
        WorkflowPage.objects.update_or_create(
            page=page, defaults={"workflow": workflow}
        )
    return workflow
