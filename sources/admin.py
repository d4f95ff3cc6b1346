"""Curators' admin for sources."""

from django.contrib import admin

from sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "kind", "publisher", "published_on", "reported_in"]
    list_filter = ["kind", "date_inferred"]
    list_select_related = ["reported_in"]
    search_fields = ["slug", "search_text"]  # names, aliases and texts (see conflictdb/search.py)
    autocomplete_fields = ["reported_in"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Slugs are public identifiers: fixed once the record exists.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields
