"""A document's page (its progress while the task runs, then the download link) and the download itself."""

from django.http import FileResponse, Http404
from django.views import View
from django.views.generic import TemplateView

from khizmat.documents import selectors
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.tenancy.mixins import MembershipRequiredMixin


class DocumentDetailView(MembershipRequiredMixin, TemplateView):
    """htmx reloads the status part every second while the document is being prepared."""

    permission = "documents.use"  # and the kind's own permission (selectors.document_for)
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
    permission = "documents.use"  # and the kind's own permission (selectors.document_for)
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
