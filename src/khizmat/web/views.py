from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from khizmat.api.selectors import api_token_list_active, api_token_list_for_user
from khizmat.api.services import api_token_create, api_token_revoke
from khizmat.core.errors import DomainError
from khizmat.core.htmx import HtmxPartialMixin
from khizmat.core.navigation import entries_for, waiting_for
from khizmat.core.redirects import safe_redirect_url
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.middleware import SESSION_KEY
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.models import Membership
from khizmat.tenancy.selectors import monitoring_summary, people_search, place_search
from khizmat.tenancy.services import user_set_language
from khizmat.web.audit import audit_entry_list, audited_models


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
    response = redirect(safe_redirect_url(request, request.POST.get("next") or request.GET.get("next"), "/"))
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


# Who may revoke the API tokens of their organization's staff (besides each user their own).
TOKENS_REVOKE_PERMISSION = "staff.tokens_revoke"


def _staff_tokens(request):
    """Active tokens of the organization's members, when the role may revoke them; else None."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.has_permission(TOKENS_REVOKE_PERMISSION):
        return None
    return api_token_list_active(
        user_ids=Membership.objects.filter(organization=request.organization, is_active=True).values(
            "user_id"
        )
    ).exclude(user=request.user)


@never_cache
@login_required
def api_token(request):
    """The user's API tokens: make one (its key is shown once, on this answer only), revoke one. Managers also see
    and revoke the active tokens of their organization's staff. The key is never stored, only its hash."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = (
                api_token_list_active(user_ids=[request.user.pk]).filter(pk=request.POST.get("token")).first()
            )
            staff = _staff_tokens(request)
            if token is None and staff is not None:
                token = staff.filter(pk=request.POST.get("token")).first()
            if token is None:
                raise Http404
            api_token_revoke(token=token, actor=request.user)
            messages.success(request, _("The token was revoked; programs using it are refused from now on."))
            return redirect("core:api_token")
        try:
            _token, new_key = api_token_create(user=request.user, name=request.POST.get("name", ""))
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "core/api_token.html",
        {
            "tokens": api_token_list_for_user(user=request.user),
            "staff_tokens": _staff_tokens(request),
            "new_key": new_key,
            "days": settings.API_TOKEN_DAYS,
        },
    )
