"""The "Certificates" menu, and what certificates adds to courses through its hooks."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.admin_ui.base import (
    InspectWithActionsViewSet,
    PermittedMenuViewSet,
    column,
)
from courses.extensions import (
    COORDINATOR_TODO_HOOK,
    ENROLMENT_LINKS_HOOK,
    INDICATOR_SERIES_HOOK,
    PERSONAL_DATA_HOOK,
    EnrolmentLink,
    IndicatorSeries,
    TodoGroup,
    TodoRow,
)
from courses.roles import COORDINATOR, ROLE_PERMISSIONS_HOOK, RoleGrant
from courses.storage_check import STORAGE_CHECKS_HOOK, STORED_FILES_HOOK

from . import admin_views as views
from .consistency import certificate_files, counter_findings
from .models import Certificate, CertificateLayout
from .privacy import certificates_part
from .selectors import (
    certificates_per_month,
    editions_ready_for_certificates,
    valid_certificates_of_enrolments,
)


class CertificateViewSet(InspectWithActionsViewSet):
    """The register: list and inspect; changes only through revoke and correct."""

    model = Certificate
    name = "certificate_register"
    url_prefix = "certificates/register"
    icon = "doc-full"
    menu_label = gettext_lazy("Register")
    index_view_class = views.CertificateIndexView
    inspect_view_class = views.CertificateInspectView
    filterset_class = views.CertificateFilterSet
    ordering = ["-year", "-sequence"]
    list_per_page = 50
    search_fields = ["number", "holder_name", "course_title"]
    list_display = [
        column(
            "number",
            gettext_lazy("register number"),
            kind=TitleColumn,
            get_url=lambda c: reverse("certificate_register:inspect", args=[c.pk]),
            sort_key="sequence",
        ),
        column("holder_name", gettext_lazy("holder's name")),
        column("course_title", gettext_lazy("course")),
        column(
            "issued_on",
            gettext_lazy("issued on"),
            accessor=lambda c: date_format(c.issued_on, "j E Y"),
            sort_key="issued_on",
        ),
        column(
            "state",
            gettext_lazy("state"),
            kind=StatusTagColumn,
            accessor=lambda c: (
                gettext_lazy("valid") if c.is_valid else gettext_lazy("revoked")
            ),
            primary=lambda c: c.is_valid,
        ),
    ]
    ACTIONS = {"revoke": views.RevokeView, "correct": views.CorrectView}

    def get_extra_urlpatterns(self):
        return [path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview")]


class IssuanceViewSet(PermittedMenuViewSet):
    name = "certificate_issuance"
    url_prefix = "certificates/issue"
    icon = "upload"
    menu_label = gettext_lazy("Issue certificates")
    menu_permissions = ("certificates.add_certificate",)

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


class _LayoutEditorsOnly:
    """Wagtail's choosers list every object to every admin user: templates are the
    coordinators' (those who may edit them), not a trainer's."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("certificates.change_certificatelayout"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class _LayoutChosenView(_LayoutEditorsOnly, SnippetChosenView):
    def get_object(self, pk):
        try:
            return super().get_object(pk)
        except (TypeError, ValueError) as error:  # not a number: no such template
            raise CertificateLayout.DoesNotExist from error


class LayoutChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("LayoutChooseView", (_LayoutEditorsOnly, ChooseView), {})
    choose_results_view_class = type(
        "LayoutChooseResultsView", (_LayoutEditorsOnly, ChooseResultsView), {}
    )
    chosen_view_class = _LayoutChosenView
    chosen_multiple_view_class = type(
        "LayoutChosenMultipleView", (_LayoutEditorsOnly, SnippetChosenMultipleView), {}
    )


class CertificateLayoutViewSet(SnippetViewSet):
    """Projects' and courses' own certificates, with a PDF preview of the form."""

    model = CertificateLayout
    chooser_viewset_class = LayoutChooserViewSet
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Templates of projects")
    url_prefix = "certificates/templates"
    add_view_class = views.LayoutCreateView
    edit_view_class = views.LayoutEditView
    list_display = [
        "name",
        "project",
        column(
            "course",
            gettext_lazy("course"),
            accessor=lambda t: t.course or gettext("all courses of the project"),
        ),
        "version",
        "updated_at",
    ]
    list_filter = ["project"]
    search_fields = ["name"]
    copy_view_enabled = False


class CertificatesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Certificates")
    menu_icon = "doc-full"
    menu_order = 220
    items = (IssuanceViewSet, CertificateViewSet, CertificateLayoutViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_admin():
    return CertificatesViewSetGroup()


@hooks.register(ROLE_PERMISSIONS_HOOK)
def certificate_role_permissions() -> dict[str, RoleGrant]:
    """Coordinators issue, revoke and correct certificates and edit their templates."""
    return {
        COORDINATOR: RoleGrant(
            permissions={
                "certificates.add_certificate",
                "certificates.change_certificate",
                "certificates.view_certificate",
                "certificates.add_certificatebatch",
                "certificates.view_certificatebatch",
                "certificates.change_certificatetemplate",
                "certificates.add_certificatelayout",
                "certificates.change_certificatelayout",
                "certificates.view_certificatelayout",
                "certificates.delete_certificatelayout",
            }
        )
    }


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


hooks.register(PERSONAL_DATA_HOOK, certificates_part)
# manage.py storage_check: the PDFs with their SHA-256, and the numbering counters.
hooks.register(STORED_FILES_HOOK, certificate_files)
hooks.register(STORAGE_CHECKS_HOOK, counter_findings)


@hooks.register(COORDINATOR_TODO_HOOK)
def groups_ready_for_certificates() -> list[TodoGroup]:
    editions = editions_ready_for_certificates()
    if not editions:
        return []
    return [
        TodoGroup(
            "ready_for_certificates",
            ngettext(
                "%(count)s group is ready for certificates",
                "%(count)s groups are ready for certificates",
                len(editions),
            )
            % {"count": len(editions)},
            len(editions),
            [
                TodoRow(
                    label=f"{edition.code} · {edition.course.title}",
                    url=reverse("certificate_issuance:index"),
                    note=ngettext(
                        "%(count)s completed without a certificate",
                        "%(count)s completed without a certificate",
                        waiting,
                    )
                    % {"count": waiting},
                )
                for edition, waiting in editions[:5]
            ],
            reverse("certificate_issuance:index"),
        )
    ]
