import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from khizmat.core.errors import DomainError
from khizmat.core.htmx import HtmxPartialMixin
from khizmat.tenancy import selectors, services
from khizmat.tenancy.calendar import working_days_between
from khizmat.tenancy.forms import (
    MembershipForm,
    PersonalDataAccessFilterForm,
    StaffMemberForm,
    StaffPasswordForm,
)
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin
from khizmat.tenancy.models import Membership, PersonalDataAccess
from khizmat.tenancy.roles import Role


class OrganizationDetailView(MembershipRequiredMixin, TemplateView):
    permission = "organization.view"
    template_name = "tenancy/organization_detail.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        return super().get_context_data(
            organization=organization,
            overseers=selectors.organization_list_overseers(organization=organization),
            overseen=selectors.organization_list_overseen(organization=organization),
            **kwargs,
        )


class CalendarView(MembershipRequiredMixin, TemplateView):
    permission = "calendar.view"
    template_name = "tenancy/calendar.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), 2100)
        country = self.request.organization.country
        months = []
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            last = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
            months.append((first, working_days_between(country, first - datetime.timedelta(days=1), last)))
        return super().get_context_data(
            country=country,
            year=year,
            days=selectors.calendar_day_list(country=country, year=year),
            months=months,
            **kwargs,
        )


class MembershipListView(MembershipRequiredMixin, HtmxPartialMixin, ListView):
    permission = "staff.view"
    model = Membership
    template_name = "tenancy/membership_list.html"
    partial_template_name = "tenancy/partials/membership_table.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.membership_list(
            organization=self.request.organization,
            query=self.request.GET.get("q", "")[:100],
            role=self.request.GET.get("role", "") if self.request.GET.get("role") in Role.values else "",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            roles=Role.choices,
            query=self.request.GET.get("q", ""),
            can_manage=self.request.membership.has_permission("staff.manage"),
            **kwargs,
        )


class MembershipDetailView(TenantObjectMixin, DetailView):
    permission = "staff.view"
    model = Membership
    template_name = "tenancy/membership_detail.html"

    context_object_name = (
        "staff_membership"  # "membership" is the signed-in user's own (core context processor)
    )

    def get_context_data(self, **kwargs):
        history = self.object.history.select_related("history_user").order_by("-history_date")[:50]
        return super().get_context_data(
            history=history, can_manage=self.request.membership.has_permission("staff.manage"), **kwargs
        )


class MembershipEditView(TenantObjectMixin, FormView):
    permission = "staff.manage"
    model = Membership
    form_class = MembershipForm
    template_name = "tenancy/membership_form.html"

    @cached_property
    def object(self) -> Membership:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_initial(self):
        membership = self.object
        coverage = (
            "region" if membership.coverage_region_id else "country" if membership.coverage_country_id else ""
        )
        return {"role": membership.role, "is_active": membership.is_active, "coverage": coverage}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        membership = self.object
        try:
            services.membership_update(
                actor=self.request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
                # Only a changed choice is checked: a wider coverage set by a platform administrator stays.
                coverage=form.cleaned_data["coverage"] if "coverage" in form.changed_data else None,
            )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        return redirect(reverse("tenancy:membership_detail", args=[membership.pk]))


class MembershipPasswordView(TenantObjectMixin, FormView):
    """An administrator sets a new password for a staff member who forgot theirs."""

    permission = "staff.manage"
    model = Membership
    form_class = StaffPasswordForm
    template_name = "tenancy/membership_password.html"

    @cached_property
    def object(self) -> Membership:
        return get_object_or_404(self.get_queryset().select_related("user"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        try:
            services.membership_set_password(
                actor=self.request.user, membership=self.object, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The new password is set. %(name)s must choose their own at the next login.")
            % {"name": self.object.user.display_name},
        )
        return redirect(reverse("tenancy:membership_detail", args=[self.object.pk]))


class MembershipCreateView(MembershipRequiredMixin, FormView):
    permission = "staff.manage"
    form_class = StaffMemberForm
    template_name = "tenancy/membership_add.html"

    def form_valid(self, form):
        try:
            membership = services.membership_create(
                actor=self.request.user, organization=self.request.organization, **form.cleaned_data
            )
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        return redirect(reverse("tenancy:membership_detail", args=[membership.pk]))


class PersonalDataAccessListView(MembershipRequiredMixin, HtmxPartialMixin, ListView):
    """Who saw a citizen's or subscriber's full ID number or phone, when, from where (khizmat.tenancy.privacy)."""

    permission = "personal_data.access_log"
    model = PersonalDataAccess
    template_name = "tenancy/personal_data_access_list.html"
    partial_template_name = "tenancy/partials/personal_data_access_table.html"
    paginate_by = 100

    @cached_property
    def filter_form(self) -> PersonalDataAccessFilterForm:
        from django.apps import apps

        from khizmat.tenancy.privacy import PERSONAL_FIELDS

        organization = self.request.organization
        members = [
            (m.user_id, m.user.display_name)
            for m in selectors.membership_list(organization=organization).order_by(
                "user__last_name", "user__first_name", "pk"
            )
        ]
        record_types = sorted(
            (
                (label, str(apps.get_model(label)._meta.verbose_name).capitalize())
                for label in PERSONAL_FIELDS
            ),
            key=lambda choice: choice[1],
        )
        return PersonalDataAccessFilterForm(
            self.request.GET or None, members=members, record_types=record_types
        )

    def get_queryset(self):
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if form.is_bound and not form.is_valid():
            return PersonalDataAccess.objects.none()
        return selectors.personal_data_access_list(
            organization=self.request.organization,
            user_id=data.get("user"),
            record_type=data.get("record_type", ""),
            record=data.get("record", ""),
            person=data.get("person", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.filter_form, **kwargs)
