from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import is_ratelimited

from khizmat.core.errors import DomainError
from khizmat.core.redirects import safe_redirect_url
from khizmat.core.uploads import stored_files_cleanup
from khizmat.queue import selectors, services
from khizmat.queue.forms import CounterForm, ScreenForm, ServiceGroupForm, TransferForm
from khizmat.queue.mixins import ScreenMixin
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.services import services as application_services
from khizmat.services.forms import ApplicationForm
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin

# --- Staff pages ----------------------------------------------------------------------------------------------


class QueueOverviewView(MembershipRequiredMixin, TemplateView):
    permission = "queue.view"
    template_name = "queue/overview.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        today = timezone.localdate()
        waiting = selectors.waiting_by_group(organization=organization, day=today)
        groups = list(selectors.group_list_active(organization=organization))
        for group in groups:
            group.waiting = waiting.get(group.pk, 0)
        can_manage = self.request.membership.has_permission("queue.manage")
        return super().get_context_data(
            today=today,
            summary=selectors.day_summary(organization=organization, day=today),
            groups=groups,
            counters=selectors.counter_list_active(organization=organization),
            tickets=selectors.waiting_tickets(organization=organization, day=today)[:100],
            screens=QueueScreen.objects.filter(organization=organization).order_by("kind", "name")
            if can_manage
            else [],
            can_manage=can_manage,
            group_form=ServiceGroupForm(),
            counter_form=CounterForm(),
            screen_form=ScreenForm(organization=organization),
            **kwargs,
        )


class QueueSetupView(MembershipRequiredMixin, View):
    """Managers add groups, windows and screens from the overview page."""

    permission = "queue.manage"
    http_method_names = ["post"]

    def post(self, request):
        what = request.POST.get("what")
        form_class, create = {
            "group": (ServiceGroupForm, services.service_group_create),
            "counter": (CounterForm, services.counter_create),
            "screen": (ScreenForm, services.screen_create),
        }.get(what, (None, None))
        if form_class is None:
            return redirect("queue:overview")
        extra = {"organization": request.organization} if form_class is ScreenForm else {}
        form = form_class(request.POST, **extra)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("queue:overview")
        try:
            create(actor=request.user, organization=request.organization, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("queue:overview")


class CounterChooseView(MembershipRequiredMixin, TemplateView):
    permission = "queue.operate"
    template_name = "queue/counter_choose.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counters=selectors.counter_list_active(organization=self.request.organization), **kwargs
        )


class CounterView(TenantObjectMixin, TemplateView):
    """An operator's window: the current ticket and what to do with it."""

    permission = "queue.operate"
    model = Counter
    template_name = "queue/counter.html"

    def get_context_data(self, **kwargs):
        counter = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        organization = self.request.organization
        today = timezone.localdate()
        waiting = selectors.waiting_by_group(organization=organization, day=today)
        groups = [
            g
            for g in selectors.group_list_active(organization=organization)
            if g.letter in counter.group_letters
        ]
        for group in groups:
            group.waiting = waiting.get(group.pk, 0)
        return super().get_context_data(
            counter=counter,
            current=services.ticket_current(counter=counter),
            groups=groups,
            all_groups=selectors.group_list_active(organization=organization),
            transfer_form=TransferForm(organization=organization, exclude=counter),
            **kwargs,
        )


class CounterActionView(TenantObjectMixin, View):
    permission = "queue.operate"
    model = Counter
    http_method_names = ["post"]

    def post(self, request, pk):
        counter = get_object_or_404(self.get_queryset(), pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "call_next":
                ticket = services.ticket_call_next(actor=request.user, counter=counter)
                messages.success(request, _("Called %(code)s.") % {"code": ticket.code})
            else:
                ticket = services.ticket_current(counter=counter)
                if ticket is None:
                    raise DomainError(_("No ticket is at this window."))
                if action == "recall":
                    services.ticket_recall(actor=request.user, ticket=ticket)
                elif action == "no_show":
                    services.ticket_no_show(actor=request.user, ticket=ticket)
                elif action == "start":
                    services.ticket_start_service(actor=request.user, ticket=ticket)
                elif action == "finish":
                    services.ticket_finish(actor=request.user, ticket=ticket)
                elif action == "transfer":
                    form = TransferForm(request.POST, organization=request.organization, exclude=counter)
                    if not form.is_valid():
                        raise DomainError(_("Choose an open window of this center."))
                    services.ticket_transfer(
                        actor=request.user, ticket=ticket, to_counter=form.cleaned_data["counter"]
                    )
                else:
                    raise DomainError(_("Unknown step."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("queue:counter", pk=counter.pk)


class DeskIssueView(MembershipRequiredMixin, View):
    """Issue a ticket from a staff desk (for a citizen at the door when the kiosk is down)."""

    permission = "queue.operate"
    http_method_names = ["post"]

    def post(self, request):
        group = ServiceGroup.objects.filter(
            organization=request.organization, pk=request.POST.get("group") or 0
        ).first()
        try:
            if group is None:
                raise DomainError(_("This queue is closed."))
            ticket = services.ticket_issue(organization=request.organization, group=group)
            messages.success(request, _("Ticket %(code)s issued.") % {"code": ticket.code})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(safe_redirect_url(request, request.POST.get("back"), "queue:overview"))


class TicketApplicationView(TenantObjectMixin, FormView):
    """Register an application for the citizen of a ticket, and link the two."""

    permission = "applications.register"
    model = QueueTicket
    form_class = ApplicationForm
    template_name = "queue/ticket_application.html"

    def get_ticket(self) -> QueueTicket:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.organization}

    def get_initial(self):
        return {"applicant_language": self.request.LANGUAGE_CODE}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ticket=self.get_ticket(), **kwargs)

    def form_valid(self, form):
        ticket = self.get_ticket()
        data = dict(form.cleaned_data)
        documents = data.pop("documents")
        try:
            with stored_files_cleanup(), transaction.atomic():
                application = application_services.application_register(
                    actor=self.request.user,
                    organization=self.request.organization,
                    documents=documents,
                    **data,
                )
                services.ticket_attach_application(
                    actor=self.request.user, ticket=ticket, application=application
                )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Application %(number)s registered.") % {"number": application.number}
        )
        return redirect("services:application_detail", pk=application.pk)


# --- Screens: kiosk and display board, opened by their secret link without a login ---------------------------


@method_decorator(never_cache, name="dispatch")
class KioskView(ScreenMixin, View):
    kind = QueueScreen.Kind.KIOSK

    def get(self, request):
        return render(request, "queue/kiosk.html", self._context())

    def post(self, request):
        if is_ratelimited(
            request,
            group=f"kiosk:{self.screen.pk}",
            key=lambda g, r: str(self.screen.pk),
            rate="60/m",
            increment=True,
        ):
            return render(
                request,
                "queue/kiosk.html",
                {**self._context(), "error": _("Too many tickets at once. Please wait a minute.")},
                status=429,
            )
        group = ServiceGroup.objects.filter(
            organization=self.organization, pk=request.POST.get("group") or 0
        ).first()
        try:
            if group is None:
                raise DomainError(_("This queue is closed."))
            ticket = services.ticket_issue(organization=self.organization, group=group)
        except DomainError as error:
            return render(
                request, "queue/kiosk.html", {**self._context(), "error": error.message}, status=400
            )
        waiting = selectors.waiting_by_group(organization=self.organization, day=ticket.day).get(group.pk, 1)
        return render(
            request,
            "queue/kiosk_ticket.html",
            {**self._context(), "ticket": ticket, "ahead": max(waiting - 1, 0)},
        )

    def _context(self):
        return {
            "organization": self.organization,
            "screen": self.screen,
            "groups": selectors.group_list_active(organization=self.organization),
        }


@method_decorator(never_cache, name="dispatch")
class BoardView(ScreenMixin, View):
    kind = QueueScreen.Kind.BOARD

    def get(self, request):
        today = timezone.localdate()
        template = "queue/partials/board_calls.html" if request.htmx else "queue/board.html"
        return render(
            request,
            template,
            {
                "organization": self.organization,
                "screen": self.screen,
                "calls": selectors.board_calls(organization=self.organization, day=today),
                "now": timezone.localtime(),
            },
        )
