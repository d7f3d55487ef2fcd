from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from khizmat.core.errors import DomainError
from khizmat.core.htmx import HtmxPartialMixin
from khizmat.core.navigation import entries_for, waiting_for
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.middleware import SESSION_KEY
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.selectors import monitoring_summary, people_search, place_search
from khizmat.tenancy.services import user_set_language
from khizmat.web.audit import audit_entry_list, audited_models


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and the benchmarks' ceiling: plain "ok", no login, no template, no query.

    An anonymous request touches neither the session store nor the database (the tenant middleware finds no
    membership without a user); a request carrying a session cookie still answers, after the middleware's lookups.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def home(request):
    """Each role's home page: the work waiting for it, then what to do next, from the entries its permissions and
    its kind of organization allow. Anonymous visitors get the public landing with the citizens' pages."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    return render(
        request,
        "core/home.html",
        {
            "waiting": waiting_for(request.membership),
            "next_steps": entries_for(request.membership),
            "has_membership": request.membership is not None,
        },
    )


@require_POST
def language_set(request):
    """Switch the interface language; remembered per user (and in a cookie before login)."""
    from django.conf import settings

    language = request.POST.get("language", "")
    response = redirect(_safe_next(request))
    if not translation.check_for_language(language) or language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=language)
        except DomainError:
            return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_POST
@login_required
def organization_switch(request):
    """Make another of the user's memberships the active one."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    if any(m.pk == wanted for m in request.memberships):
        request.session[SESSION_KEY] = wanted
    return redirect("core:home")


class SearchView(MembershipRequiredMixin, HtmxPartialMixin, TemplateView):
    """Places, organizations and colleagues by name: «Бахмал» finds "Baxmal"."""

    permission = "search.use"
    template_name = "core/search.html"
    partial_template_name = "core/partials/search_results.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        context = super().get_context_data(**kwargs)
        context["query"] = query
        if query:
            context["results"] = place_search(query=query)
            context["people"] = (
                people_search(organization_ids=self.request.visible_organization_ids, query=query)
                if self.request.membership.has_permission("staff.view")
                else []
            )
        return context


class AuditLogView(MembershipRequiredMixin, HtmxPartialMixin, TemplateView):
    permission = "audit.view"
    template_name = "core/audit_log.html"
    partial_template_name = "core/partials/audit_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = {m._meta.label: m._meta.verbose_name_plural for m in audited_models()}
        chosen = self.request.GET.get("model", "")
        if chosen not in models:
            chosen = ""
        context.update(
            models=sorted(models.items(), key=lambda item: str(item[1])),
            chosen_model=chosen,
            entries=audit_entry_list(organization=self.request.organization, model_label=chosen),
        )
        return context


class MonitoringView(MembershipRequiredMixin, TemplateView):
    """Read-only aggregates over the organizations a monitor covers (a region, a country)."""

    permission = "monitoring.view"
    template_name = "core/monitoring.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = monitoring_summary(organization_ids=self.request.visible_organization_ids)
        kinds = dict(OrganizationKind.choices)
        for row in summary["by_kind"]:
            row["label"] = kinds.get(row["kind"], row["kind"])
        context["summary"] = summary
        return context


def error_403(request, exception=None):
    reason = str(exception) if exception else ""
    message = (
        _(
            "Your account is not a member of any organization yet. Ask your organization's administrator to add you."
        )
        if reason == "no_membership"
        else _("Your role does not allow this page. Ask your manager if you need access.")
    )
    return render(request, "403.html", {"message": message}, status=403)


@login_required
def api_token(request):
    """Each user's API token: shown on request, replaced with a new one on POST (the old one stops working)."""
    from rest_framework.authtoken.models import Token

    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        messages.success(request, _("A new API token was created; the previous one no longer works."))
        return redirect("core:api_token")
    token, _created = Token.objects.get_or_create(user=request.user)
    return render(request, "core/api_token.html", {"token": token})
