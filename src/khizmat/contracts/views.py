"""Pages of municipal orders, seen from both sides.

The enterprise (the contract's organization) records work, draws up and submits acts, and answers disputes; the
ordering local government reads the same pages while it oversees the enterprise, disputes lines and accepts acts.
Every page runs inside a scope widened to those enterprises (:class:`ContractScopeMixin`), and looks objects up among
the contracts the member may see (``selectors.contracts_visible_to``): anyone else's id is 404.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from khizmat.contracts import selectors, services
from khizmat.contracts.choices import ActStatus, ContractStatus, LineStatus, WorkSource
from khizmat.contracts.forms import (
    AnswerForm,
    ContractForm,
    DisputeForm,
    MonthForm,
    WorkItemForm,
    WorkRecordForm,
)
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord
from khizmat.core.errors import DomainError
from khizmat.core.pdf import render_pdf
from khizmat.reports.photos import clean_photo
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.scoping import scope

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ContractScopeMixin(MembershipRequiredMixin):
    """Run the page (template rendering included) inside the request's scope plus the enterprises whose contracts
    the member's local government ordered and oversees."""

    def dispatch(self, request, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if not request.user.is_authenticated or membership is None:
            return super().dispatch(request, *args, **kwargs)
        with scope(organization=selectors.contract_scope_ids(membership, request.visible_organization_ids)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response


VISIBLE = {
    Contract: selectors.contracts_visible_to,
    WorkItem: selectors.work_items_visible_to,
    WorkRecord: selectors.work_records_visible_to,
    Act: selectors.acts_visible_to,
    ActLine: selectors.act_lines_visible_to,
}


class ContractObjectMixin(ContractScopeMixin):
    """Views with an id: the object is found among the contracts (and their rows) the member may see, else 404."""

    model = None

    def get_queryset(self):
        return VISIBLE[self.model](self.request.membership)


def _sides(request, contract: Contract) -> dict:
    membership = request.membership
    provider = contract.organization_id == request.organization.pk
    customer = contract.customer_id == request.organization.pk
    return {
        "is_provider": provider,
        "is_customer": customer,
        "can_manage": provider and membership.has_permission("contracts.manage"),
        "can_sign": customer and membership.has_permission("contracts.sign"),
    }


class ContractListView(ContractScopeMixin, TemplateView):
    permission = "contracts.view"
    template_name = "contracts/contract_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contracts=selectors.contract_list(membership=self.request.membership),
            can_add=self.request.membership.has_permission("contracts.manage"),
            **kwargs,
        )


class ContractAddView(MembershipRequiredMixin, View):
    permission = "contracts.manage"
    template_name = "contracts/contract_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ContractForm(organization=request.organization)})

    def post(self, request):
        form = ContractForm(request.POST, organization=request.organization)
        if form.is_valid():
            try:
                contract = services.contract_create(
                    actor=request.user, organization=request.organization, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(
                    request, _("Contract %(number)s saved as a draft.") % {"number": contract.number}
                )
                return redirect("contracts:contract_detail", pk=contract.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ContractDetailView(ContractObjectMixin, DetailView):
    permission = "contracts.view"
    model = Contract
    template_name = "contracts/contract_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "organization__country", "customer")

    def get_context_data(self, **kwargs):
        contract = self.object
        items = WorkItem.objects.filter(organization=contract.organization, contract=contract).order_by(
            "code"
        )
        return super().get_context_data(
            progress=selectors.contract_progress(contract=contract),
            acts=selectors.acts_visible_to(self.request.membership)
            .filter(contract=contract)
            .order_by("-month"),
            currency=contract.currency,
            is_draft=contract.status == ContractStatus.DRAFT,
            is_active=contract.status == ContractStatus.ACTIVE,
            has_trip_loads=any(item.source == WorkSource.TRIP_LOADS for item in items),
            item_form=WorkItemForm(),
            record_form=WorkRecordForm(items=items.exclude(source=WorkSource.TRIP_LOADS)),
            month_form=MonthForm(),
            **_sides(self.request, contract),
            **kwargs,
        )


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return " ".join(parts)


class ContractActionView(ContractObjectMixin, View):
    """A POST button or small form on a contract page: find the object, validate the form, call :meth:`perform`,
    report the outcome (a form error or a domain error, translated) and go back. GET is not allowed."""

    form_class = None
    success_message = ""

    def get_form(self, obj):
        return self.form_class(self.request.POST, self.request.FILES)

    def perform(self, obj, data: dict):
        raise NotImplementedError

    def next_url(self, obj, result) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        data: dict = {}
        result = None
        if self.form_class is not None:
            form = self.get_form(obj)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
                return redirect(self.next_url(obj, None))
            data = form.cleaned_data
        try:
            result = self.perform(obj, data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.message(result))
        return redirect(self.next_url(obj, result))

    def message(self, result) -> str:
        return str(self.success_message)


class _OnContract(ContractActionView):
    model = Contract
    permission = "contracts.manage"

    def next_url(self, contract, result):
        return reverse("contracts:contract_detail", args=[contract.pk])


class ContractActivateView(_OnContract):
    success_message = gettext_lazy("The contract is in force.")

    def perform(self, contract, data):
        return services.contract_activate(actor=self.request.user, contract=contract)


class WorkItemAddView(_OnContract):
    form_class = WorkItemForm
    success_message = gettext_lazy("Work item added.")

    def perform(self, contract, data):
        return services.work_item_add(actor=self.request.user, contract=contract, **data)


class WorkRecordAddView(_OnContract):
    form_class = WorkRecordForm
    success_message = gettext_lazy("Work recorded.")

    def get_form(self, contract):
        items = WorkItem.objects.filter(organization=contract.organization, contract=contract)
        return WorkRecordForm(self.request.POST, self.request.FILES, items=items)

    def perform(self, contract, data):
        photo = clean_photo(data["photo"])[0] if data.get("photo") else None
        return services.work_record_add(
            actor=self.request.user,
            work_item=data["work_item"],
            date=data["date"],
            quantity=data["quantity"],
            note=data["note"],
            photo=photo,
        )


class TripLoadImportView(_OnContract):
    form_class = MonthForm

    def perform(self, contract, data):
        return services.work_records_from_trip_loads(
            actor=self.request.user, contract=contract, month=data["month"]
        )

    def message(self, added):
        return _("Loads of the trip log counted: %(count)s new.") % {"count": added}


class ActBuildView(_OnContract):
    form_class = MonthForm
    success_message = gettext_lazy("The draft act is drawn up from the work records.")

    def perform(self, contract, data):
        return services.act_build(actor=self.request.user, contract=contract, month=data["month"])

    def next_url(self, contract, act):
        if act is not None:
            return reverse("contracts:act_detail", args=[act.pk])
        return super().next_url(contract, act)


class ActDetailView(ContractObjectMixin, DetailView):
    permission = "contracts.view"
    model = Act
    template_name = "contracts/act_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "contract",
                "contract__organization",
                "contract__organization__country",
                "contract__customer",
                "submitted_by",
                "accepted_by",
            )
        )

    def get_context_data(self, **kwargs):
        act = self.object
        sides = _sides(self.request, act.contract)
        summary = selectors.act_summary(act=act)
        open_act = act.status in (ActStatus.SUBMITTED, ActStatus.DISPUTED, ActStatus.ANSWERED)
        return super().get_context_data(
            contract=act.contract,
            summary=summary,
            currency=act.contract.currency,
            can_submit=sides["can_manage"] and act.status == ActStatus.DRAFT,
            can_rebuild=sides["can_manage"] and act.status == ActStatus.DRAFT,
            can_dispute=sides["can_sign"] and open_act,
            can_answer=sides["can_manage"] and act.status == ActStatus.DISPUTED,
            can_accept=sides["can_sign"] and open_act and not summary["open_disputes"],
            line_disputed=LineStatus.DISPUTED,
            line_answered=LineStatus.ANSWERED,
            dispute_form=DisputeForm(),
            answer_form=AnswerForm(),
            languages=settings.LANGUAGES,
            **sides,
            **kwargs,
        )


class _OnAct(ContractActionView):
    model = Act

    def next_url(self, act, result):
        return reverse("contracts:act_detail", args=[act.pk])


class ActSubmitView(_OnAct):
    permission = "contracts.manage"
    success_message = gettext_lazy("The act is submitted to the local government.")

    def perform(self, act, data):
        return services.act_submit(actor=self.request.user, act=act)


class ActAcceptView(_OnAct):
    permission = "contracts.sign"
    success_message = gettext_lazy("The act is accepted.")

    def perform(self, act, data):
        return services.act_accept(actor=self.request.user, act=act)


class _OnLine(ContractActionView):
    model = ActLine

    def next_url(self, line, result):
        return reverse("contracts:act_detail", args=[line.act_id]) + f"#line-{line.pk}"


class ActLineDisputeView(_OnLine):
    permission = "contracts.sign"
    form_class = DisputeForm
    success_message = gettext_lazy("The line is disputed; the enterprise will answer.")

    def perform(self, line, data):
        return services.act_line_dispute(actor=self.request.user, line=line, comment=data["comment"])


class ActLineAnswerView(_OnLine):
    permission = "contracts.manage"
    form_class = AnswerForm
    success_message = gettext_lazy("The answer is sent to the local government.")

    def perform(self, line, data):
        return services.act_line_answer(
            actor=self.request.user,
            line=line,
            answer=data["answer"],
            corrected_quantity=data["corrected_quantity"],
        )


class ActPdfView(ContractObjectMixin, View):
    """The printable act, in the reader's language or the one chosen with ``?lang=`` (ky, uz, uz-cyrl, ru, en)."""

    permission = "contracts.view"
    model = Act

    def get(self, request, pk):
        act = get_object_or_404(
            self.get_queryset().select_related(
                "contract", "contract__organization", "contract__organization__country", "contract__customer"
            ),
            pk=pk,
        )
        wanted = request.GET.get("lang", "")
        language = wanted if wanted in LANGUAGE_CODES else translation.get_language()
        with translation.override(language):
            pdf = render_pdf(
                "contracts/act_pdf.html",
                {
                    "act": act,
                    "contract": act.contract,
                    "summary": selectors.act_summary(act=act),
                    "currency": act.contract.currency,
                    "LANGUAGE_CODE": translation.get_language(),
                },
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = "act-" + "".join(c if c.isalnum() else "-" for c in act.number) + ".pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class WorkRecordPhotoView(ContractObjectMixin, View):
    """The photo of a work record, for both sides of the contract (photos are not public)."""

    permission = "contracts.view"
    model = WorkRecord

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        if not record.photo:
            raise Http404
        try:
            return FileResponse(
                record.photo.open("rb"),
                content_type="image/jpeg" if record.photo.name.endswith(".jpg") else "image/png",
            )
        except FileNotFoundError as error:
            raise Http404 from error


urlpatterns = [
    path("contracts/", ContractListView.as_view(), name="contract_list"),
    path("contracts/add/", ContractAddView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/", ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/activate/", ContractActivateView.as_view(), name="contract_activate"),
    path("contracts/<int:pk>/items/add/", WorkItemAddView.as_view(), name="workitem_add"),
    path("contracts/<int:pk>/records/add/", WorkRecordAddView.as_view(), name="workrecord_add"),
    path(
        "contracts/<int:pk>/records/from-trips/", TripLoadImportView.as_view(), name="workrecord_from_trips"
    ),
    path("contracts/<int:pk>/acts/build/", ActBuildView.as_view(), name="act_build"),
    path("contracts/acts/<int:pk>/", ActDetailView.as_view(), name="act_detail"),
    path("contracts/acts/<int:pk>/act.pdf", ActPdfView.as_view(), name="act_pdf"),
    path("contracts/acts/<int:pk>/submit/", ActSubmitView.as_view(), name="act_submit"),
    path("contracts/acts/<int:pk>/accept/", ActAcceptView.as_view(), name="act_accept"),
    path("contracts/lines/<int:pk>/dispute/", ActLineDisputeView.as_view(), name="actline_dispute"),
    path("contracts/lines/<int:pk>/answer/", ActLineAnswerView.as_view(), name="actline_answer"),
    path("contracts/records/<int:pk>/photo/", WorkRecordPhotoView.as_view(), name="workrecord_photo"),
]
