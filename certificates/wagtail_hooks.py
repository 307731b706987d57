"""The "Certificates" menu, and what certificates adds to courses through its hooks."""

from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from wagtail import hooks
from wagtail.admin.admin_url_finder import (
    ModelAdminURLFinder,
    register_admin_url_finder,
)
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from courses.extensions import (
    ENROLMENT_LINKS_HOOK,
    INDICATOR_SERIES_HOOK,
    EnrolmentLink,
    IndicatorSeries,
)

from . import admin_views as views
from .models import Certificate
from .selectors import certificates_per_month, valid_certificates_of_enrolments


class CertificateViewSet(ModelViewSet):
    """The register: list and inspect; changes only through revoke and correct."""

    model = Certificate
    name = "certificate_register"
    url_prefix = "certificates/register"
    icon = "doc-full"
    menu_label = gettext_lazy("Register")
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    index_view_class = views.CertificateIndexView
    inspect_view_class = views.CertificateInspectView
    filterset_class = views.CertificateFilterSet
    ordering = ["-year", "-sequence"]
    list_per_page = 50
    search_fields = ["number", "holder_name", "course_title"]
    list_display = [
        TitleColumn(
            "number",
            label=capfirst(gettext_lazy("register number")),
            get_url=lambda c: reverse("certificate_register:inspect", args=[c.pk]),
            sort_key="sequence",
        ),
        Column("holder_name", label=capfirst(gettext_lazy("holder's name"))),
        Column("course_title", label=capfirst(gettext_lazy("course"))),
        Column(
            "issued_on",
            label=capfirst(gettext_lazy("issued on")),
            accessor=lambda c: date_format(c.issued_on, "j E Y"),
            sort_key="issued_on",
        ),
        StatusTagColumn(
            "state",
            label=capfirst(gettext_lazy("state")),
            accessor=lambda c: (
                gettext_lazy("valid") if c.is_valid else gettext_lazy("revoked")
            ),
            primary=lambda c: c.is_valid,
        ),
    ]
    ACTIONS = {"revoke": views.RevokeView, "correct": views.CorrectView}

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

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path(
                "preview/<int:pk>/",
                views.PreviewView.as_view(),
                name="preview",
            ),
        ]
        for name, view_class in self.ACTIONS.items():
            view = view_class.as_view(
                index_url_name=self.get_url_name("index"),
                back_url_name=self.get_url_name("inspect"),
            )
            patterns.append(path(f"{name}/<int:pk>/", view, name=name))
        return patterns

    def register_admin_url_finder(self):
        finder = type(
            "CertificateURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
        register_admin_url_finder(Certificate, finder)


class IssuanceViewSet(ViewSet):
    name = "certificate_issuance"
    url_prefix = "certificates/issue"
    icon = "upload"
    menu_label = gettext_lazy("Issue certificates")

    @property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class IssuanceMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm("certificates.add_certificate")

        return IssuanceMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.IssuanceView.as_view(), name="index"),
            path("new/", views.BatchCreateView.as_view(), name="create"),
            path("batch/<int:pk>/", views.BatchView.as_view(), name="batch"),
            path("batch/<int:pk>/start/", views.BatchStartView.as_view(), name="start"),
            path(
                "edition/<int:edition_id>/zip/",
                views.EditionZipView.as_view(),
                name="zip",
            ),
        ]


class CertificatesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Certificates")
    menu_icon = "doc-full"
    menu_order = 220
    items = (IssuanceViewSet, CertificateViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_admin():
    return CertificatesViewSetGroup()


@hooks.register(ENROLMENT_LINKS_HOOK)
def certificate_links(*, enrolments, user) -> dict[int, list[EnrolmentLink]]:
    """Download links of the valid certificates, for "Moje szkolenia"."""
    found = valid_certificates_of_enrolments(enrolments=enrolments)
    return {
        pk: [
            EnrolmentLink(
                url=reverse("certificates:download", args=[certificate.pk]),
                label=gettext("Certificate no. %(number)s")
                % {"number": certificate.number},
                badge="PDF",
                note=gettext("issued %(date)s")
                % {"date": date_format(certificate.issued_on, "j E Y")},
                note_url=reverse("certificates:verify_code", args=[certificate.code]),
                note_label=gettext("verification page"),
            )
            for certificate in certificates
        ]
        for pk, certificates in found.items()
    }


@hooks.register(INDICATOR_SERIES_HOOK)
def certificate_series() -> list[IndicatorSeries]:
    return [
        IndicatorSeries(
            "certificates", gettext("Certificates per month"), certificates_per_month()
        )
    ]
