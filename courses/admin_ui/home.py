"""The coordinator's admin home: what needs doing, first."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .selectors import coordinator_todo


class TodoPanel(Component):
    name = "training_todo"
    order = 50  # above Wagtail's own panels (pages, workflows: 100 and more)
    template_name = "courses/admin/home_todo.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["groups"] = coordinator_todo()
        context["title"] = _("What needs doing")
        return context
