"""Curators' admin for sources."""

from django.contrib import admin
from django.db import models

from conflictdb.admin import CuratedAdmin
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
        (None, {"fields": ["slug", "kind", "title", "publisher", "authors", "dateline", "language", "url"]}),
        ("Date", {"fields": [("published_on", "date_precision", "date_inferred")]}),
        ("Provenance", {"fields": ["reported_in", "notes"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
