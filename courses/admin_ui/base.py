"""Building blocks of admin screens, shared by the apps that plug into courses.

A register whose rows change only through services is a list, an inspect page and one
form view per action (`InspectWithActionsViewSet` + `ObjectFormView`); its columns are
built with `column`. A screen that is not a model's (a report, an import) is a
`PermittedMenuViewSet`, or a `SinglePageViewSet` when it is one page. The enrolments
are built from these pieces, and so is any app's register that plugs in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.db.models import Model
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin.admin_url_finder import (
    ModelAdminURLFinder,
    register_admin_url_finder,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from ..errors import RuleError
from ..http import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label


def column(
    name: str, label: Label, *, kind: type[Column] = Column, **options: Any
) -> Column:
    """A list column whose header is the field's label with a capital first letter."""
    return kind(name, label=capfirst(label), **options)


class ObjectFormView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A form about one object; the change happens on POST only, through a service."""

    request: AuthenticatedHttpRequest
    model: type[Model]
    template_name = "courses/admin/action_form.html"
    permission_required = "change"
    http_method_names = ["get", "post"]
    form_class: type[Form]
    page_title: Label = ""
    submit_label: Label = gettext_lazy("Save")
    destructive = False
    intro: Label = ""
    index_url_name = ""
    back_url_name = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get_object(self) -> Any:
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def get_back_url(self) -> str:
        return reverse(self.back_url_name, args=[self.object.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": self.model._meta.verbose_name_plural.capitalize(),
            },
            {"url": self.get_back_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            submit_label=self.submit_label,
            destructive=self.destructive,
            intro=self.get_intro(),
            back_url=self.get_back_url(),
        )
        return context

    def get_intro(self) -> Label:
        return self.intro

    def perform(self, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def form_valid(self, form) -> HttpResponse:
        try:
            message = self.perform(form)
        except RuleError as error:
            # Shown on the form, next to what the coordinator can correct.
            form.add_error(self.error_field(error), error.message)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.get_back_url()

    def error_field(self, error: RuleError) -> str | None:
        return None


class InspectWithActionsViewSet(ModelViewSet):
    """A register: list and inspect only; every change is an action and its service.

    `ACTIONS` maps a URL name to an `ObjectFormView`; each is served at
    `<name>/<pk>/` and returns to the inspect page. The inspect view gets
    `actions_url_namespace` to build the actions' URLs.
    """

    ACTIONS: ClassVar[dict[str, type[ObjectFormView]]] = {}
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False  # keeps the services' writes free of extra work
    search_backend_name = None  # plain database search: these models are not indexed

    def get_common_view_kwargs(self, **kwargs):
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
        }

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            actions_url_namespace=self.url_namespace, **kwargs
        )

    def get_extra_urlpatterns(self) -> list[URLPattern]:
        """More pages of the register beside the list, inspect and actions."""
        return []

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *self.get_extra_urlpatterns(),
        ]
        for name, view_class in self.ACTIONS.items():
            view = self.construct_view(
                view_class,
                index_url_name=self.get_url_name("index"),
                back_url_name=self.get_url_name("inspect"),
            )
            patterns.append(path(f"{name}/<int:pk>/", view, name=name))
        return patterns

    def register_admin_url_finder(self):
        # The inspect page stands in for the edit page these registers do not have.
        finder = type(
            f"{self.model.__name__}URLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
        register_admin_url_finder(self.model, finder)


class PermittedMenuViewSet(ViewSet):
    """Screens whose menu item shows only to users with one of `menu_permissions`.

    The views still check the permission themselves; this only hides the item.
    """

    menu_permissions: ClassVar[tuple[str, ...]] = ()

    @property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        permissions = self.menu_permissions

        class PermittedMenuItem(MenuItem):
            def is_shown(self, request):
                return any(request.user.has_perm(p) for p in permissions)

        return PermittedMenuItem


class SinglePageViewSet(PermittedMenuViewSet):
    """One admin page, `view_class`, at the viewset's URL."""

    view_class: ClassVar[type[View]]

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]
