from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView
from django_ratelimit.core import is_ratelimited

from khizmat.core.errors import DomainError
from khizmat.core.forms import set_phone_country
from khizmat.feedback import selectors, services
from khizmat.feedback.choices import CaseStatus
from khizmat.feedback.forms import AnswerForm, ComplaintForm, RatingForm
from khizmat.feedback.links import read_application_token
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.queue.mixins import ScreenMixin
from khizmat.queue.models import QueueScreen, QueueTicket
from khizmat.services.models import Application
from khizmat.tenancy.mixins import MembershipRequiredMixin, PersonalDataMixin, TenantObjectMixin
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scope

PUBLIC_RATE = "20/h"
TABLET_RESET_SECONDS = 5  # the "thank you" stays this long, then the tablet waits for the next citizen


def _limited(request, group: str) -> bool:
    return is_ratelimited(
        request, group=group, key="ip", rate=PUBLIC_RATE, increment=request.method == "POST"
    )


# --- Citizens: the QR link of an application ------------------------------------------------------------------


class ApplicationLinkMixin:
    """Resolve the signed link to its application and work inside that organization's scope."""

    def dispatch(self, request, token: str, *args, **kwargs):
        ids = read_application_token(token)
        if ids is None:
            raise Http404
        organization = Organization.objects.filter(pk=ids[0], is_active=True).first()
        if organization is None:
            raise Http404
        with scope(organization=[organization.pk]):
            application = Application.objects.filter(organization=organization, pk=ids[1]).first()
            if application is None:
                raise Http404
            self.organization, self.application = organization, application
            _activate_applicant_language(request, application)
            return super().dispatch(request, *args, **kwargs)


def _activate_applicant_language(request, application: Application) -> None:
    """The link opens in the language the application was registered in, unless the visitor has chosen a
    language on this site (the language cookie)."""
    language = application.applicant_language
    if not language or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    if translation.check_for_language(language):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


@method_decorator(never_cache, name="dispatch")
class RateApplicationView(ApplicationLinkMixin, View):
    def get(self, request):
        return self._render(request, RatingForm())

    def post(self, request):
        if _limited(request, "feedback:rate"):
            return self._render(
                request, RatingForm(request.POST), error=_("Too many attempts. Try again later."), status=429
            )
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rating_submit(
                    organization=self.organization, application=self.application, **form.cleaned_data
                )
            except DomainError as error:
                return self._render(request, form, error=error.message, status=400)
            return render(request, "feedback/thanks.html", {"organization": self.organization})
        return self._render(request, form, status=400)

    def _render(self, request, form, *, error=None, status=200):
        rated = Rating.objects.filter(organization=self.organization, application=self.application).exists()
        track_url = f"{reverse('services:track')}?{urlencode({'number': self.application.number})}"
        return render(
            request,
            "feedback/rate_application.html",
            {
                "organization": self.organization,
                "application": self.application,
                "form": form,
                "error": error,
                "rated": rated,
                "can_rate": services.application_can_be_rated(self.application),
                "track_url": track_url,
            },
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class ComplaintView(ApplicationLinkMixin, View):
    def get(self, request):
        return self._render(request, ComplaintForm())

    def post(self, request):
        if _limited(request, "feedback:complaint"):
            return self._render(
                request,
                ComplaintForm(request.POST),
                error=_("Too many attempts. Try again later."),
                status=429,
            )
        form = ComplaintForm(request.POST)
        if form.is_valid():
            try:
                services.complaint_submit(
                    organization=self.organization, application=self.application, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
                return self._render(request, form, status=400)
            return render(
                request, "feedback/thanks.html", {"organization": self.organization, "complaint": True}
            )
        return self._render(request, form, status=400)

    def _render(self, request, form, *, error=None, status=200):
        set_phone_country(form, self.organization.country.code)
        return render(
            request,
            "feedback/complaint.html",
            {
                "organization": self.organization,
                "application": self.application,
                "form": form,
                "error": error,
            },
            status=status,
        )


# --- The rating tablet at a window -----------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class TabletView(ScreenMixin, View):
    kind = QueueScreen.Kind.TABLET

    def get(self, request):
        ticket = (
            selectors.ticket_awaiting_rating(counter=self.screen.counter) if self.screen.counter_id else None
        )
        template = "feedback/partials/tablet_body.html" if request.htmx else "feedback/tablet.html"
        return render(
            request, template, {"organization": self.organization, "screen": self.screen, "ticket": ticket}
        )

    def post(self, request):
        ticket = QueueTicket.objects.filter(
            organization=self.organization, pk=request.POST.get("ticket") or 0, counter=self.screen.counter
        ).first()
        error = None
        try:
            if ticket is None:
                raise DomainError(_("This visit cannot be rated here."))
            services.rating_submit(
                organization=self.organization,
                ticket=ticket,
                score=request.POST.get("score"),
                comment=request.POST.get("comment", ""),
            )
        except DomainError as e:
            error = e.message
        return render(
            request,
            "feedback/tablet.html",
            {
                "organization": self.organization,
                "screen": self.screen,
                "ticket": None,
                "thanks": error is None,
                "error": error,
                "reset_seconds": TABLET_RESET_SECONDS,
            },
            status=200 if error is None else 400,
        )


# --- Managers ----------------------------------------------------------------------------------------------------


class CaseListView(MembershipRequiredMixin, TemplateView):
    permission = "feedback.view"
    template_name = "feedback/case_list.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        today = timezone.localdate()
        return super().get_context_data(
            today=today,
            open_cases=selectors.case_list(organization=organization, status=CaseStatus.OPEN)[:200],
            answered=selectors.case_list(organization=organization, status=CaseStatus.ANSWERED).order_by(
                "-answered_at"
            )[:50],
            overdue_count=selectors.case_list_overdue(organization=organization, today=today).count(),
            **kwargs,
        )


class CaseDetailView(PersonalDataMixin, TenantObjectMixin, DetailView):
    permission = "feedback.view"
    model = FeedbackCase
    template_name = "feedback/case_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=kwargs.pop("form", None) or AnswerForm(),
            can_answer=self.request.membership.has_permission("feedback.answer"),
            is_overdue=self.object.is_overdue(on=timezone.localdate()),
            **kwargs,
        )

    def post(self, request, pk):
        self.object = get_object_or_404(self.get_queryset(), pk=pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.case_answer(actor=request.user, case=self.object, answer=form.cleaned_data["answer"])
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Answer saved."))
                return redirect("feedback:case_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ScoresView(MembershipRequiredMixin, TemplateView):
    permission = "feedback.view"
    template_name = "feedback/scores.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scores=selectors.monthly_scores(organization=self.request.organization), **kwargs
        )
