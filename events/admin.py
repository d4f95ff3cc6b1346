"""Curators' admin for actors, places, events and claims."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet

from conflictdb.admin import CuratedAdmin
from conflictdb.fieldlists import span
from events.evidence import FATALITIES, EventEvidence, fatalities_problems
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import ActorRole, EvidenceFor

RECORD = ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]})
CLAIM_FIGURE = span(Claim, "value", "unit")


class CountryFilter(admin.SimpleListFilter):
    """Countries from the (small) places table, not a DISTINCT over every event."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        countries = Place.objects.order_by("country").values_list("country", flat=True).distinct()
        return [(code, code) for code in countries]

    def queryset(self, request, queryset):
        return queryset.filter(place__country=self.value()) if self.value() else queryset


class DisputedFilter(admin.SimpleListFilter):
    title = "disputed"
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return [("yes", "Disputed"), ("no", "Not disputed")]

    def queryset(self, request, queryset):
        return queryset.filter(disputed=self.value() == "yes") if self.value() else queryset


@admin.register(Actor)
class ActorAdmin(CuratedAdmin):
    list_display = ["slug", "name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["slug", "search_text"]  # name, aliases, description
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": Actor.FIELDS}),
        RECORD,
    ]


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ["slug", "name", "country", "admin1", "latitude", "longitude", "geo_precision"]
    list_filter = ["country", "geo_precision"]
    search_fields = ["slug", "search_text"]  # name, aliases, admin1
    fieldsets = [
        (None, {"fields": span(Place, "slug", "admin1")}),
        ("Location (WGS84)", {"fields": [span(Place, "latitude", "geo_precision")]}),
        RECORD,
    ]


class EventActorInline(admin.TabularInline):
    model = EventActor
    autocomplete_fields = ["actor"]
    extra = 1


class EvidenceFormSet(BaseInlineFormSet):
    """The event's evidence as the curator leaves it: its fatalities rest on the claims cited for them
    (the API's rule, events/evidence.py), and a role's evidence names a role the event has."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("claim")
        ]
        event = self.instance
        claims = [item["claim"] for item in kept if item.get("evidence_for") == EvidenceFor.FATALITIES]
        fatalities = {name: getattr(event, name) for name in FATALITIES}
        problems = fatalities_problems(event=event if event.pk else None, claims=claims, **fatalities)
        roles = set(event.event_actors.values_list("actor", "role")) if event.pk else set()
        for item in kept:
            actor = item.get("actor")
            if (
                item.get("evidence_for") == EvidenceFor.ROLE
                and (getattr(actor, "pk", None), item.get("role")) not in roles
            ):
                problems[f"role of {actor}"] = (
                    f"{actor} has no role {item.get('role') or '(none)'} in this event as saved: save the "
                    "actor's role first, then cite its evidence."
                )
        if problems:
            raise ValidationError([f"{name}: {message}" for name, message in problems.items()])


class EvidenceInline(admin.TabularInline):
    """The claims the event's fatalities, dates, place and actors' roles rest on."""

    model = EventEvidence
    formset = EvidenceFormSet
    fields = [name for name in EventEvidence.FIELDS if name != "event"]
    autocomplete_fields = ["claim", "actor"]
    verbose_name = "claim cited as evidence"
    verbose_name_plural = "Evidence: the claims its fatalities, dates, place and roles rest on"
    extra = 0


class ClaimInline(admin.StackedInline):
    model = Claim
    fk_name = "event"
    autocomplete_fields = ["claimant", "source", "about_actor"]
    fields = [
        "slug",
        span(Claim, "claim_type", "source"),
        *span(Claim, "statement", "quote"),
        CLAIM_FIGURE,
        span(Claim, "made_on", "is_self_report"),
        span(Claim, "status", "status_reason"),
    ]
    extra = 0


@admin.register(Event)
class EventAdmin(CuratedAdmin):
    list_display = [
        "slug",
        "start_date",
        "end_date",
        "place",
        "event_type",
        "perpetrators",
        "claims",
        "disputed",
    ]
    list_filter = ["event_type", "sub_event_type", "date_precision", CountryFilter, DisputedFilter]
    list_select_related = ["place"]
    search_fields = ["slug", "search_text"]  # title, summary
    autocomplete_fields = ["place", "part_of"]
    inlines = [EventActorInline, EvidenceInline, ClaimInline]
    fieldsets = [
        (None, {"fields": [*span(Event, "slug", "summary"), span(Event, "event_type", "sub_event_type")]}),
        (
            "When and where",
            {"fields": [span(Event, "start_date", "date_precision"), *span(Event, "place", "part_of")]},
        ),
        (
            "Fatalities (low / best / high, from the claims)",
            {"fields": [span(Event, "fatalities_low", "fatalities_high")]},
        ),
        RECORD,
    ]

    def get_queryset(self, request):
        links = EventActor.objects.select_related("actor")
        return super().get_queryset(request).prefetch_related(Prefetch("event_actors", links))

    @admin.display(description="Perpetrators")
    def perpetrators(self, event):
        links = event.event_actors.all()  # prefetched: no query per row
        return ", ".join(link.actor.name for link in links if link.role == ActorRole.PERPETRATOR)

    @admin.display(description="Claims")
    def claims(self, event):
        return event.claim_count

    @admin.display(description="Disputed", boolean=True)
    def disputed(self, event):
        return event.disputed


class ClaimRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    autocomplete_fields = ["to_claim"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    list_display = ["slug", "claim_type", "claimant", "event", "source", "value", "unit", "status"]
    list_filter = ["claim_type", "status", "is_self_report"]
    list_select_related = ["claimant", "event", "source"]
    search_fields = ["slug", "search_text"]  # statement, quote, unit
    autocomplete_fields = ["claimant", "source", "event", "about_actor"]
    inlines = [ClaimRelationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    span(Claim, "slug", "previous_slugs"),
                    "claim_type",
                    ("claimant", "is_self_report"),
                    "source",
                    "event",
                    "about_actor",
                ]
            },
        ),
        ("What is claimed", {"fields": span(Claim, "statement", "quote")}),
        ("Figure", {"fields": [CLAIM_FIGURE]}),
        ("When", {"fields": [span(Claim, "made_on", "date_precision")]}),
        ("Grading", {"fields": [span(Claim, "status", "status_reason")]}),
        RECORD,
    ]
