"""Curators' admin for sources."""

from django.contrib import admin
from django.db import models

from conflictdb.admin import CuratedAdmin
from conflictdb.fieldlists import span
from sources.models import Source


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    list_display = ["slug", "title", "kind", "publisher", "published_on", "reported_in"]
    list_filter = ["kind", "date_inferred", "language"]
    list_select_related = ["reported_in"]
    search_fields = ["slug", "search_text"]  # title, publisher, authors, dateline, notes
    autocomplete_fields = ["reported_in"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a URL typed without a scheme
    fieldsets = [
        (None, {"fields": [*span(Source, "slug", "dateline"), *span(Source, "language", "url")]}),
        ("Date", {"fields": [span(Source, "published_on", "date_inferred")]}),
        ("Provenance", {"fields": span(Source, "reported_in", "notes")}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
