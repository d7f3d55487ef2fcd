"""Django admin for reference data: places, organizations, calendars and users (platform administrators)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.tenancy.models import (
    CalendarDay,
    Country,
    District,
    Membership,
    Organization,
    Oversight,
    Region,
    Settlement,
    User,
)

admin.site.site_header = _("Khizmat administration")
admin.site.site_title = _("Khizmat")


class TranslatedHistoryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    pass


@admin.register(Country)
class CountryAdmin(TranslatedHistoryAdmin):
    list_display = ("code", "name", "currency", "time_zone", "weekend_days")


@admin.register(Region)
class RegionAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "code", "country")
    list_filter = ("country",)
    search_fields = ("search_key", "name", "code")


@admin.register(District)
class DistrictAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "code", "kind", "region")
    list_filter = ("region__country", "region")
    search_fields = ("search_key", "name", "code")


@admin.register(Settlement)
class SettlementAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("kind", "district__region")
    search_fields = ("search_key", "name")
    autocomplete_fields = ("district",)


class OversightInline(admin.TabularInline):
    model = Oversight
    fk_name = "overseen"
    extra = 0
    autocomplete_fields = ("overseer",)


@admin.register(Organization)
class OrganizationAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "code", "kind", "region", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("search_key", "name", "code")
    autocomplete_fields = ("region", "district", "settlement")
    inlines = [OversightInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(TranslatedHistoryAdmin):
    list_display = ("date", "country", "kind", "name", "source")
    list_filter = ("country", "kind", "source")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # An administrator's edit is final: reloading the official list never overwrites it.
        obj.source = "admin"
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organization",)


class AdministratorSetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" of another user: that user must choose their own at next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


class AdministratorUserCreationForm(AdminUserCreationForm):
    """A login created in the admin: its password was chosen by the administrator, so it must be changed."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    add_form = AdministratorUserCreationForm
    change_password_form = AdministratorSetPasswordForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Khizmat"), {"fields": ("patronymic", "phone", "language", "must_change_password")}),
    )
    list_display = ("username", "last_name", "first_name", "is_active", "is_superuser")
    search_fields = ("username", "search_key", "last_name", "first_name")
    inlines = [MembershipInline]
