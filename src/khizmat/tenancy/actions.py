"""One shape for the POST-only buttons on a page (change status, adjust, reverse, approve, resume)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from khizmat.core.errors import DomainError
from khizmat.tenancy.mixins import TenantObjectMixin


class ObjectActionView(TenantObjectMixin, View):
    """Find the organization's object (another tenant's id is 404), validate ``form_class`` if set, call
    :meth:`perform`, report the outcome as a message and go back to :meth:`next_url`. GET is not allowed."""

    form_class = None
    invalid_message = ""
    success_message = ""

    def perform(self, obj, data: dict) -> None:
        raise NotImplementedError

    def next_url(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        data: dict = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                messages.error(request, self.invalid_message)
                return redirect(self.next_url(obj))
            data = form.cleaned_data
        try:
            self.perform(obj, data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message)
        return redirect(self.next_url(obj))
