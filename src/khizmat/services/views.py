from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited

from khizmat.core import hooks
from khizmat.core.errors import DomainError
from khizmat.core.htmx import HtmxPartialMixin
from khizmat.core.pdf import qr_svg, render_pdf
from khizmat.services import selectors, services
from khizmat.services.choices import ApplicationStatus, ServiceCategory
from khizmat.services.forms import ApplicationForm, DocumentForm, ServiceForm, TrackForm, TransitionForm
from khizmat.services.models import Application, ApplicationDocument, Service
from khizmat.services.workflow import transitions_from
from khizmat.tenancy.localtime import activate_for
from khizmat.tenancy.mixins import MembershipRequiredMixin, PersonalDataMixin, TenantObjectMixin
from khizmat.tenancy.models import User

SERVICE_FORM_FIELDS = list(ServiceForm.base_fields)


# --- Catalog ---------------------------------------------------------------------------------------------------


class ServiceListView(MembershipRequiredMixin, HtmxPartialMixin, ListView):
    permission = "catalog.view"
    model = Service
    template_name = "services/service_list.html"
    partial_template_name = "services/partials/service_table.html"
    paginate_by = 100

    def get_queryset(self):
        category = self.request.GET.get("category", "")
        return selectors.service_list(
            organization=self.request.organization,
            query=self.request.GET.get("q", "").strip()[:100],
            category=category if category in ServiceCategory.values else "",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(categories=ServiceCategory.choices, **kwargs)


class ServiceDetailView(TenantObjectMixin, DetailView):
    permission = "catalog.view"
    model = Service
    template_name = "services/service_detail.html"

    def get_context_data(self, **kwargs):
        can_publish = self.object.is_template and self.request.membership.has_permission("catalog.manage")
        return super().get_context_data(can_publish=can_publish, **kwargs)


class ServicePublishView(TenantObjectMixin, View):
    """An agency publishes a national template to the catalogs of the centers it oversees."""

    permission = "catalog.manage"
    model = Service
    http_method_names = ["post"]

    def post(self, request, pk):
        template = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            changed = services.service_template_publish(actor=request.user, template=template)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Published: %(count)s centers updated.") % {"count": changed})
        return redirect("services:service_detail", pk=template.pk)


class ServiceFormMixin:
    form_class = ServiceForm
    template_name = "services/service_form.html"

    def form_valid(self, form):
        try:
            service = services.service_save(
                actor=self.request.user,
                organization=self.request.organization,
                service=getattr(self, "object", None),
                **form.cleaned_data,
            )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        except ValidationError as error:  # the model's own checks
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        return redirect("services:service_detail", pk=service.pk)


class ServiceCreateView(MembershipRequiredMixin, ServiceFormMixin, FormView):
    permission = "catalog.manage"


class ServiceEditView(TenantObjectMixin, ServiceFormMixin, FormView):
    permission = "catalog.manage"
    model = Service

    @cached_property
    def object(self) -> Service:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {field: getattr(self.object, field) for field in SERVICE_FORM_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


# --- Applications ----------------------------------------------------------------------------------------------


class ApplicationListView(MembershipRequiredMixin, HtmxPartialMixin, ListView):
    permission = "applications.view"
    model = Application
    template_name = "services/application_list.html"
    partial_template_name = "services/partials/application_table.html"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        query = self.request.GET.get("q", "")[:100]
        applications = selectors.application_list(
            organization=self.request.organization,
            status=status if status in ApplicationStatus.values else "",
            assigned_to=self.request.user if self.request.GET.get("mine") else None,
            query=query,
        )
        return (
            applications.order_by("search_rank", "-received_at")
            if query.strip()
            else applications.order_by("-received_at")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=ApplicationStatus.choices, today=timezone.localdate(), **kwargs
        )


class ApplicationOverdueView(MembershipRequiredMixin, TemplateView):
    permission = "applications.view"
    template_name = "services/application_overdue.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        organization = self.request.organization
        return super().get_context_data(
            today=today,
            overdue=selectors.application_list_overdue(organization=organization, today=today)[:200],
            due_soon=selectors.application_list_due_soon(organization=organization, today=today)[:200],
            **kwargs,
        )


class ApplicationCreateView(MembershipRequiredMixin, FormView):
    permission = "applications.register"
    form_class = ApplicationForm
    template_name = "services/application_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.organization}

    def get_initial(self):
        return {"applicant_language": self.request.LANGUAGE_CODE}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        documents = data.pop("documents")
        try:
            application = services.application_register(
                actor=self.request.user, organization=self.request.organization, documents=documents, **data
            )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Application %(number)s registered; due %(date)s.")
            % {"number": application.number, "date": application.due_date.strftime("%d.%m.%Y")},
        )
        return redirect("services:application_detail", pk=application.pk)


class ApplicationDetailView(PersonalDataMixin, TenantObjectMixin, DetailView):
    permission = "applications.view"
    model = Application
    template_name = "services/application_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("service", "assigned_to", "registered_by")

    def get_context_data(self, **kwargs):
        membership = self.request.membership
        application = self.object
        return super().get_context_data(
            steps=selectors.application_transition_list(application=application),
            documents=application.documents.filter(organization=application.organization_id),
            transitions=[
                t for t in transitions_from(application.status) if membership.has_permission(t.permission)
            ],
            transition_form=TransitionForm(),
            document_form=DocumentForm(),
            can_assign=membership.has_permission("applications.assign") and not application.is_finished,
            assignees=selectors.assignable_members(organization=application.organization)
            if membership.has_permission("applications.assign")
            else [],
            is_overdue=application.is_overdue(on=timezone.localdate()),
            feedback_url=self.request.build_absolute_uri(
                hooks.call("services.application_feedback_path", application)
            ),
            **kwargs,
        )


class ApplicationActionView(TenantObjectMixin, View):
    """Base for POST-only actions on one application: errors come back as a message on the detail page."""

    permission = "applications.view"
    model = Application
    http_method_names = ["post"]

    def post(self, request, pk):
        application = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            self.act(application)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("services:application_detail", pk=application.pk)

    def act(self, application):  # pragma: no cover - overridden
        raise DomainError(_("Unknown step."))


class ApplicationTransitionView(ApplicationActionView):
    def act(self, application):
        form = TransitionForm(self.request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        services.application_transition(
            actor=self.request.user,
            application=application,
            name=self.request.POST.get("transition", ""),
            comment=comment,
        )


class ApplicationReassignView(ApplicationActionView):
    permission = "applications.assign"

    def act(self, application):
        try:
            assignee = User.objects.get(pk=int(self.request.POST.get("assignee", "")))
        except (ValueError, User.DoesNotExist) as error:
            raise DomainError(_("Choose who takes the application over.")) from error
        services.application_reassign(actor=self.request.user, application=application, assignee=assignee)


class ApplicationDocumentAddView(ApplicationActionView):
    permission = "applications.process"

    def act(self, application):
        form = DocumentForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise DomainError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        services.application_documents_add(
            actor=self.request.user, application=application, uploads=form.cleaned_data["documents"]
        )


class ApplicationDocumentDownloadView(TenantObjectMixin, View):
    permission = "applications.view"
    model = ApplicationDocument

    def get(self, request, pk):
        document = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )


class OperatorLoadView(MembershipRequiredMixin, TemplateView):
    permission = "applications.load"
    template_name = "services/operator_load.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.operator_load(organization=self.request.organization, today=timezone.localdate()),
            applications_url=reverse("services:application_list"),
            **kwargs,
        )


class ApplicationReceiptView(TenantObjectMixin, View):
    """The receipt the citizen takes home (PDF, in the citizen's language): number, due date and two QR codes.
    The first opens tracking with the number filled in (the phone number is still asked: a lost receipt does not
    show the application to whoever finds it); the second opens the signed rating link."""

    permission = "applications.view"
    model = Application

    def get(self, request, pk):
        application = get_object_or_404(self.get_queryset().select_related("service", "registered_by"), pk=pk)
        feedback_url = request.build_absolute_uri(
            hooks.call("services.application_feedback_path", application)
        )
        track_url = request.build_absolute_uri(reverse("services:track"))
        track_number_url = f"{track_url}?{urlencode({'number': application.number})}"
        with translation.override(application.applicant_language or translation.get_language()):
            pdf = render_pdf(
                "services/receipt.html",
                {
                    "application": application,
                    "qr": qr_svg(track_number_url),
                    "rating_qr": qr_svg(feedback_url),
                    "track_url": track_url,
                    "LANGUAGE_CODE": translation.get_language(),
                },
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{application.number}.pdf"'
        return response


@method_decorator(never_cache, name="dispatch")
class TrackView(View):
    """Citizens follow an application with its number and their phone number (no login, rate-limited)."""

    template_name = "services/track.html"

    def get(self, request):
        number = (
            request.GET.get("number", "").strip().upper()[:40]
        )  # the receipt's QR code fills the number in
        return render(request, self.template_name, {"form": TrackForm(initial={"number": number})})

    def post(self, request):
        form = TrackForm(request.POST)
        if is_ratelimited(request, group="services:track", key="ip", rate="10/m", increment=True):
            form.add_error(None, _("Too many attempts. Try again in a minute."))
            return render(request, self.template_name, {"form": form}, status=429)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        application = selectors.application_find_for_citizen(
            number=form.cleaned_data["number"], phone=form.cleaned_data["phone"]
        )
        if application is None:
            form.add_error(None, _("No application matches this number and phone. Check both and try again."))
            return render(request, self.template_name, {"form": form}, status=404)
        activate_for(application.organization)  # its times in the center's zone
        steps = selectors.application_public_steps(application=application)
        return render(request, self.template_name, {"form": form, "application": application, "steps": steps})
