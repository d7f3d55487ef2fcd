"""The page that asks for a document of one kind: apps route their export links to it (``billing/views``)."""

from django.shortcuts import redirect, render
from django.views import View

from khizmat.core.errors import DomainError
from khizmat.documents import services
from khizmat.documents.registry import kind_named
from khizmat.tenancy.mixins import MembershipRequiredMixin


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
