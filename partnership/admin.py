"""The Django admin shows reference data read-only: every write goes through a service."""

from django.contrib import admin
from django.http import HttpRequest

from partnership.models import Agency, Board, Borough, Partnership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Borough)
class BoroughAdmin(ReadOnlyAdmin):
    list_display = ["name", "gss_code", "adult_female_population", "population_year"]
    search_fields = ["name", "gss_code"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name"]


@admin.register(Board)
class BoardAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "kind", "parent"]
