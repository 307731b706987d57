from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from courses.extensions import COURSE_TOPICS_HOOK, COURSE_URL_HOOK, CourseTopic
from courses.prepared import Prepared
from courses.roles import COORDINATOR, ROLE_PERMISSIONS_HOOK, RoleGrant
from courses.selectors import MATERIALS_READER_HOOK

from .models import CoursePage
from .selectors import live_course_page

# Asked on a signed-in course page whenever no rule of courses admits the person.
_named_trainer = Prepared(
    lambda user_id, course_id: CoursePage.objects.filter(
        course_id=course_id, trainers__user_id=user_id
    ).values_list("pk")[:1],
    "user_id",
    "course_id",
)


@hooks.register(MATERIALS_READER_HOOK)
def trainers_named_on_the_course_page(*, user, course) -> bool:
    return bool(_named_trainer(user_id=user.pk, course_id=course.pk))


@hooks.register(ROLE_PERMISSIONS_HOOK)
def site_role_permissions() -> dict[str, RoleGrant]:
    """Coordinators run the site: every page, file and image, and the redirects.

    Trainers get their course pages and files through a group per course (see
    services.course_access_sync), not through the role.
    """
    return {
        COORDINATOR: RoleGrant(
            permissions={
                "wagtailredirects.add_redirect",
                "wagtailredirects.change_redirect",
                "wagtailredirects.delete_redirect",
            },
            page_permissions={
                "add_page",
                "change_page",
                "publish_page",
                "bulk_delete_page",
                "lock_page",
                "unlock_page",
            },
            collection_permissions={
                f"{app}.{action}_{model}"
                for app, model in (
                    ("wagtaildocs", "document"),
                    ("wagtailimages", "image"),
                )
                for action in ("add", "change", "choose", "delete")
            },
        )
    }


@hooks.register(COURSE_URL_HOOK)
def course_page_url(*, course, request=None) -> str | None:
    page = live_course_page(course=course)
    return page.get_url(request) if page else None


@hooks.register(COURSE_TOPICS_HOOK)
def course_page_topics(*, course) -> list[CourseTopic]:
    """The topics of the programme on the course's live page."""
    page = live_course_page(course=course)
    if page is None:
        return []
    return [
        CourseTopic(title=block.value["title"], hours=block.value.get("hours"))
        for block in page.programme
        if block.block_type == "topic"
    ]


@hooks.register("before_serve_document")
def refuse_restricted_documents(document, request):
    """Files in a course's own collection go only to those entitled to its materials."""
    course_page = CoursePage.objects.filter(
        materials_collection_id=document.collection_id
    ).first()
    if course_page is None or course_page.materials_open_to(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request,
        "cms/document_refused.html",
        {"document": document, "course_page": course_page},
        status=403,
    )


@hooks.register("insert_global_admin_js")
def admin_initialisers_js():
    """Runs the widget initialisers that Wagtail would write inline (see cms/csp.py)."""
    return format_html('<script src="{}"></script>', static("cms/js/admin-init.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/css/admin.css"))
