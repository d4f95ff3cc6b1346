"""Curators' admin for actors, places, events and claims."""

from django.contrib import admin

from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import ActorRole


class SlugFixedOnceSaved:
    """Slugs are public identifiers: editable when a record is added, read-only afterwards."""

    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(Actor)
class ActorAdmin(SlugFixedOnceSaved, admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["slug", "search_text"]
    autocomplete_fields = ["parent"]


@admin.register(Place)
class PlaceAdmin(SlugFixedOnceSaved, admin.ModelAdmin):
    list_display = ["slug", "name", "country", "admin1", "latitude", "longitude", "geo_precision"]
    list_filter = ["country", "geo_precision"]
    search_fields = ["slug", "search_text"]


class EventActorInline(admin.TabularInline):
    model = EventActor
    autocomplete_fields = ["actor"]
    extra = 1


class ClaimInline(admin.StackedInline):
    model = Claim
    fk_name = "event"
    autocomplete_fields = ["claimant", "source", "about_actor"]
    fields = [
        "slug",
        ("claim_type", "claimant", "source"),
        "statement",
        "quote",
        ("value", "value_low", "value_high", "value_is_lower_bound", "unit"),
        ("made_on", "date_precision", "is_self_report"),
        ("status", "status_reason"),
    ]
    extra = 0


@admin.register(Event)
class EventAdmin(SlugFixedOnceSaved, admin.ModelAdmin):
    list_display = [
        "slug",
        "start_date",
        "end_date",
        "place",
        "event_type",
        "perpetrators",
        "claim_count",
        "disputed",
    ]
    list_filter = ["event_type", "sub_event_type", "date_precision", "place__country"]
    list_select_related = ["place"]
    search_fields = ["slug", "search_text"]
    autocomplete_fields = ["place", "part_of"]
    date_hierarchy = "start_date"
    inlines = [EventActorInline, ClaimInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_claim_summary().prefetch_related("event_actors__actor")

    @admin.display(description="Perpetrators")
    def perpetrators(self, event):
        return ", ".join(
            link.actor.name for link in event.event_actors.all() if link.role == ActorRole.PERPETRATOR
        )

    @admin.display(description="Claims", ordering="claim_count")
    def claim_count(self, event):
        return event.claim_count

    @admin.display(description="Disputed", boolean=True, ordering="disputed")
    def disputed(self, event):
        return event.disputed


class ClaimRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    autocomplete_fields = ["to_claim"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(SlugFixedOnceSaved, admin.ModelAdmin):
    list_display = ["slug", "claim_type", "claimant", "event", "source", "value", "unit", "status"]
    list_filter = ["claim_type", "status", "is_self_report"]
    list_select_related = ["claimant", "event", "source"]
    search_fields = ["slug", "search_text"]
    autocomplete_fields = ["claimant", "source", "event", "about_actor"]
    inlines = [ClaimRelationInline]
