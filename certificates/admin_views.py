"""Coordinator screens: list, inspect, revoke, correct, bulk issuance, ZIP of an edition."""

import zipfile
from tempfile import SpooledTemporaryFile

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log
from wagtail.snippets.views import snippets as snippet_views

from courses.admin_ui.base import ObjectFormView
from courses.errors import RuleError
from courses.models import Edition, Project

from . import services
from .broadcast import progress_payload
from .errors import CertificateError
from .files import CertificateFileError, read_verified
from .models import Certificate, CertificateBatch
from .selectors import editions_for_issuance, valid_certificates_of_edition


class CertificateFilterSet(WagtailFilterSet):
    project = django_filters.ModelChoiceFilter(
        queryset=Project.objects.all(), label=gettext_lazy("project")
    )
    edition = django_filters.ModelChoiceFilter(
        field_name="enrolment__edition",
        queryset=Edition.objects.select_related("course"),
        label=gettext_lazy("edition"),
    )
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("state"),
        choices=[
            ("valid", gettext_lazy("valid")),
            ("revoked", gettext_lazy("revoked")),
        ],
        method="filter_state",
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Certificate
        fields = ["project", "edition", "year", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=value == "valid")


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("project")

    def get_list_more_buttons(self, instance):
        return []


class CertificateInspectView(InspectView):
    template_name = "certificates/admin/certificate_inspect.html"
    page_title = gettext_lazy("Certificate")
    actions_url_namespace = ""

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related(
                "enrolment__trainee__user",
                "enrolment__edition",
                "project",
                "issued_by",
                "revoked_by",
                "replaced_by",
            ),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        namespace = self.actions_url_namespace
        can_change = self.request.user.has_perm("certificates.change_certificate")
        context.update(
            certificate=self.object,
            replaces=list(self.object.replaces.all()),
            download_url=reverse("certificates:download", args=[self.object.pk]),
            preview_url=reverse(f"{namespace}:preview", args=[self.object.pk]),
            revoke_url=reverse(f"{namespace}:revoke", args=[self.object.pk])
            if can_change and self.object.is_valid
            else None,
            correct_url=reverse(f"{namespace}:correct", args=[self.object.pk])
            if can_change and self.object.is_valid
            else None,
        )
        return context


class ReasonForm(forms.Form):
    # Not required here: the service says why an empty reason is refused.
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=gettext_lazy("Shown on the public verification page."),
    )


class CertificateActionView(ObjectFormView):
    """Revoke or correct one certificate; the change happens on POST only."""

    model = Certificate
    form_class = ReasonForm
    destructive = True

    def get_object(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_header_icon(self) -> str:
        return ""  # these pages never showed the register's icon; they still do not

    def perform(self, form) -> str:
        self.result = self.change(
            actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        return self.success_message(self.result)

    def change(self, *, actor: User, reason: str) -> Certificate:
        raise NotImplementedError

    def success_message(self, certificate: Certificate) -> str:
        raise NotImplementedError

    def error_field(self, error: RuleError) -> str | None:
        return "reason" if error.code == "reason" else None

    def get_success_url(self) -> str:
        # A correction carries on as the new certificate; show it.
        return reverse(self.back_url_name, args=[self.result.pk])


class RevokeView(CertificateActionView):
    page_title = gettext_lazy("Revoke the certificate")
    submit_label = gettext_lazy("Revoke")

    def get_intro(self):
        return _(
            "Certificate %(number)s of %(holder)s is revoked at once: the holder can "
            "no longer download it, and its verification page will say it was "
            "revoked, when and why. It stays in the register with its number. This "
            "cannot be undone: a new certificate gets a new number."
        ) % {"number": self.object.number, "holder": self.object.holder_name}

    def change(self, *, actor: User, reason: str) -> Certificate:
        return services.certificate_revoke(
            certificate=self.object, actor=actor, reason=reason
        )

    def success_message(self, certificate: Certificate) -> str:
        return _("Certificate %(number)s revoked.") % {"number": certificate.number}


class CorrectView(CertificateActionView):
    page_title = gettext_lazy("Correct the certificate")
    submit_label = gettext_lazy("Revoke and issue anew")
    destructive = False
    intro = gettext_lazy(
        "Correct the trainee's data first (e.g. the name in their profile). The "
        "certificate is then revoked with this reason and a new one is issued from the "
        "current data, with a new number."
    )

    def change(self, *, actor: User, reason: str) -> Certificate:
        return services.certificate_correct(
            certificate=self.object, actor=actor, reason=reason
        )

    def success_message(self, certificate: Certificate) -> str:
        return _("Certificate %(old)s revoked; %(new)s issued in its place.") % {
            "old": self.object.number,
            "new": certificate.number,
        }


class PreviewView(PermissionCheckedMixin, View):
    """The stored data rendered again, for a look: the stored PDF is not touched."""

    model = Certificate
    permission_required = "view"

    def get(self, request, pk):
        certificate = get_object_or_404(Certificate, pk=pk)
        pdf = services.certificate_preview(certificate=certificate)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"podglad-{slugify(certificate.number)}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class IssuanceView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every project's editions: who completed, what is issued; issue or download."""

    model = Certificate
    permission_required = "add"
    template_name = "certificates/admin/issuance.html"
    page_title = gettext_lazy("Issue certificates")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = [
            {"project": project, "editions": editions_for_issuance(project=project)}
            for project in Project.objects.all()
        ]
        context["batches"] = CertificateBatch.objects.select_related(
            "project", "edition", "started_by"
        )[:10]
        return context


class BatchCreateView(PermissionCheckedMixin, View):
    """Record a bulk issuance for an edition or a project, then show its progress."""

    model = Certificate
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request):
        project = get_object_or_404(Project, pk=request.POST.get("project"))
        edition = None
        if request.POST.get("edition"):
            edition = get_object_or_404(Edition, pk=request.POST["edition"])
        try:
            batch = services.certificate_batch_create(
                actor=request.user, project=project, edition=edition
            )
        except CertificateError as error:
            messages.error(request, error.message)
            return redirect("certificate_issuance:index")
        return redirect("certificate_issuance:batch", pk=batch.pk)


class BatchView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The progress bar of one bulk issuance, with the button that starts it."""

    model = Certificate
    permission_required = "add"
    template_name = "certificates/admin/batch.html"
    page_title = gettext_lazy("Bulk issuance")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("certificate_issuance:index"),
                "label": _("Issue certificates"),
            },
            {"url": "", "label": str(self.batch)},
        ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.batch = get_object_or_404(
            CertificateBatch.objects.select_related("project", "edition__course"),
            pk=kwargs["pk"],
        )

    def get_page_subtitle(self):
        return str(self.batch)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            batch=self.batch,
            progress=progress_payload(batch=self.batch),
            socket_path=f"/ws/zaswiadczenia/wydawanie/{self.batch.pk}/",
            poll_url=reverse("certificates:batch_progress", args=[self.batch.pk]),
            start_url=reverse("certificate_issuance:start", args=[self.batch.pk]),
            **kwargs,
        )


class BatchStartView(PermissionCheckedMixin, View):
    """Queue the batch, or resume it. With the immediate backend it runs in this request."""

    model = Certificate
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(CertificateBatch, pk=pk)
        # Waiting, failed or interrupted: started or resumed, by whoever may start it.
        if services.certificate_batch_start(batch=batch):
            batch.refresh_from_db()
        if request.headers.get("Accept") == "application/json":
            return JsonResponse(progress_payload(batch=batch))
        return redirect("certificate_issuance:batch", pk=batch.pk)


class EditionZipView(PermissionCheckedMixin, View):
    """The stored PDFs of an edition's valid certificates, in one ZIP file."""

    model = Certificate
    permission_required = "view"

    def get(self, request, edition_id):
        edition = get_object_or_404(Edition, pk=edition_id)
        archive = SpooledTemporaryFile(max_size=50 * 1024 * 1024)  # noqa: SIM115
        unavailable = []
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
            for certificate in valid_certificates_of_edition(edition=edition):
                try:
                    data = read_verified(
                        storage=certificate.pdf.storage,
                        name=certificate.pdf.name,
                        expected_sha256=certificate.pdf_sha256,
                    )
                except CertificateFileError:
                    # Never a file that is not the one issued: listed instead.
                    unavailable.append(certificate.number)
                    continue
                name = f"{slugify(certificate.number)}-{slugify(certificate.holder_name)}.pdf"
                zipped.writestr(name, data)
            if unavailable:
                zipped.writestr(
                    "brakujace-pliki.txt",
                    _(
                        "These certificates are in the register, but their files are "
                        "missing or differ from the issued ones:"
                    )
                    + "\n"
                    + "\n".join(unavailable)
                    + "\n",
                )
        archive.seek(0)
        return FileResponse(
            archive,
            as_attachment=True,
            filename=f"zaswiadczenia-{slugify(edition.code)}.zip",
            content_type="application/zip",
        )


class LayoutSaveMixin:
    """A template is saved by the service: validated, as its next version."""

    log_action = "wagtail.edit"

    def save_instance(self):
        layout = services.certificate_layout_save(
            layout=self.form.instance, actor=self.request.user
        )
        log(instance=layout, action=self.log_action, user=self.request.user)
        return layout


class LayoutCreateView(LayoutSaveMixin, snippet_views.CreateView):
    log_action = "wagtail.create"


class LayoutEditView(LayoutSaveMixin, snippet_views.EditView):
    pass
