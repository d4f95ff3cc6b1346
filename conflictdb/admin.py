"""What every curator's admin page shares: fixed slugs, fast lists on large tables, and full history."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.text import capfirst

from conflictdb.counting import bounded_count
from conflictdb.versions import ordered_versions, version_page

ADMIN_HISTORY_VERSIONS = 200  # the latest, on the admin's history page


class BoundedCountPaginator(Paginator):
    """Counts exactly up to 10,000 rows, and estimates beyond, so a page of a large table stays fast."""

    @cached_property
    def count(self):
        return bounded_count(self.object_list)[0]


class CuratedAdmin(admin.ModelAdmin):
    """The base of every admin page of a public record."""

    # A record is renamed through the API or the fixtures, which keep its previous slugs (conflictdb/slugs).
    readonly_fields = ["previous_slugs", "created_at", "updated_at"]
    paginator = BoundedCountPaginator
    show_full_result_count = False  # no second COUNT(*) of the whole table on filtered pages
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        # Slugs are public identifiers: editable when a record is added, fixed afterwards.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the record (from the database's history triggers) with what changed."""
        record = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, record):
            raise admin.options.PermissionDenied
        latest = list(ordered_versions(record).reverse()[:ADMIN_HISTORY_VERSIONS])[::-1]
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {record}",
            "subtitle": None,
            "object": record,
            "opts": self.model._meta,
            "module_name": capfirst(self.model._meta.verbose_name_plural),
            "versions": list(reversed(version_page(record, latest))),
            "total": record.history.count(),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/conflictdb/history.html", context)
