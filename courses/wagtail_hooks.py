from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_ui.home import TodoPanel
from .admin_ui.partners import PartnersViewSetGroup
from .admin_ui.privacy import PrivacyViewSetGroup
from .admin_ui.viewsets import TrainingViewSetGroup
from .models import TrainerProfile


class TrainerProfileViewSet(SnippetViewSet):
    model = TrainerProfile
    icon = "user"
    menu_label = _("Trainers")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "title", "user"]
    search_fields = ["name"]


register_snippet(TrainerProfileViewSet)


@hooks.register("register_admin_viewset")
def register_training_admin():
    return TrainingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_partners_admin():
    return PartnersViewSetGroup()


@hooks.register("register_admin_viewset")
def register_privacy_admin():
    return PrivacyViewSetGroup()


@hooks.register("insert_global_admin_css")
def training_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}">',
        static("courses/admin.css"),
        static("courses/css/widths.css"),
    )


@hooks.register("construct_homepage_panels")
def coordinator_todo_panel(request, panels):
    """Coordinators see first what needs doing; others' home is left as it is."""
    if request.user.has_perm("courses.change_enrolment"):
        panels.append(TodoPanel())
