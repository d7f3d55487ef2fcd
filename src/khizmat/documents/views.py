"""A document's page (its progress while the task runs, then the download link) and the download itself."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from khizmat.core.errors import DomainError
from khizmat.documents import selectors, services
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.documents.registry import kind_named
from khizmat.tenancy.mixins import MembershipRequiredMixin


class DocumentDetailView(MembershipRequiredMixin, TemplateView):
    """htmx reloads the status part every second while the document is being prepared."""

    model = GeneratedDocument
    template_name = "documents/document_detail.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["documents/partials/document_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=selectors.document_for(self.request.membership, self.kwargs["pk"]), **kwargs
        )


class DocumentDownloadView(MembershipRequiredMixin, View):
    model = GeneratedDocument

    def get(self, request, pk):
        document = selectors.document_for(request.membership, pk)
        if document.status != DocumentStatus.DONE or not document.file:
            raise Http404
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=not document.content_type.endswith("pdf"),
            filename=document.filename,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"  # personal data: not kept by browsers or proxies
        return response


class DocumentRequestView(MembershipRequiredMixin, View):
    """Ask for a document of one kind (``as_view(kind=..., permission=...)``).

    GET shows what will be prepared, with the parameters of the link, and a button; POST queues it and goes to the
    document's page, which shows the progress and then the download. Bad parameters are refused (400) with the
    reason, before anything is queued."""

    kind = ""

    def _params(self, data) -> dict:
        return {key: data.get(key) for key in data if key != "csrfmiddlewaretoken"}

    def get(self, request):
        kind = kind_named(self.kind)
        return render(
            request,
            "documents/document_request.html",
            {"kind": kind, "params": self._params(request.GET)},
        )

    def post(self, request):
        try:
            document = services.document_request(
                actor=request.user,
                membership=request.membership,
                kind=self.kind,
                params=self._params(request.POST),
            )
        except DomainError as error:
            return render(
                request,
                "documents/document_request.html",
                {"kind": kind_named(self.kind), "params": self._params(request.POST), "error": error.message},
                status=400,
            )
        return redirect("documents:detail", pk=document.pk)
