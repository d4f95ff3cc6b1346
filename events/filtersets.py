"""Filters of the events, actors, places and claims collections."""

from django.db.models import Exists, OuterRef, Q

from conflictdb.bbox import BBoxFilter
from conflictdb.filters import (
    BaseFilterSet,
    BooleanFilter,
    ChoiceListFilter,
    IExactListFilter,
    IntegerFilter,
    IsoDateFilter,
    OrderingFilter,
    SlugListFilter,
    UpperCaseListFilter,
)
from conflictdb.parameters import BIGINT_MAX
from conflictdb.related_filters import through
from events.conditions import claim_figure
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import (
    ActorKind,
    ActorRole,
    ClaimRelationKind,
    ClaimStatus,
    ClaimType,
    EventType,
    SubEventType,
)
from sources.models import Source


class ActorFilterSet(BaseFilterSet):
    kind = ChoiceListFilter(choices=ActorKind.choices)
    country = UpperCaseListFilter()
    parent = SlugListFilter(queryset=Actor.objects.all())
    ordering = OrderingFilter(fields=["slug", "name", "kind", "country", "updated_at"])

    class Meta:
        model = Actor
        fields = []


class PlaceFilterSet(BaseFilterSet):
    country = UpperCaseListFilter()
    admin1 = IExactListFilter(label="First administrative division(s), comma-separated.")
    bbox = BBoxFilter(field_name="")
    ordering = OrderingFilter(fields=["slug", "name", "country", "admin1", "updated_at"])

    class Meta:
        model = Place
        fields = []


# Relations in which one claim contradicts another: the `from_claim` contradicts the `to_claim`.
CONTRADICTIONS = ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS)


def claims_from(sources: list[int]) -> Q:
    """Claims from these sources, or from a source reported in one of them (an article's interviews)."""
    return Q(source__in=sources) | Q(source__reported_in__in=sources)


class EventFilterSet(BaseFilterSet):
    search_related = ("place",)

    date_from = IsoDateFilter(field_name="end_date", lookup_expr="gte", label="Events ending on or after.")
    date_to = IsoDateFilter(field_name="start_date", lookup_expr="lte", label="Events starting on or before.")
    country = UpperCaseListFilter(field_name="place__country")
    admin1 = IExactListFilter(
        field_name="place__admin1", label="First administrative division(s), comma-separated."
    )
    place = SlugListFilter(queryset=Place.objects.all())
    event_type = ChoiceListFilter(choices=EventType.choices)
    sub_event_type = ChoiceListFilter(choices=SubEventType.choices)
    actor = SlugListFilter(queryset=Actor.objects.all(), method="filter_actor")
    actor_role = ChoiceListFilter(choices=ActorRole.choices, method="filter_actor")
    claimant = SlugListFilter(queryset=Actor.objects.all(), method="filter_claimant")
    source = SlugListFilter(queryset=Source.objects.all(), method="filter_source")
    fatalities_min = IntegerFilter(
        field_name="fatalities_best", lookup_expr="gte", label="Best fatality estimate at least."
    )
    fatalities_max = IntegerFilter(
        field_name="fatalities_best", lookup_expr="lte", label="Best fatality estimate at most."
    )
    bbox = BBoxFilter(field_name="place")
    disputed = BooleanFilter(field_name="disputed", label="Events whose claims contradict each other.")
    contested_by = SlugListFilter(
        queryset=Actor.objects.all(),
        method="filter_contested_by",
        label="Actor slugs (comma-separated): events with a claim that a claim of any of them contradicts.",
    )
    ordering = OrderingFilter(
        fields=["slug", "start_date", "end_date", "title", "fatalities_best", "updated_at"]
    )

    class Meta:
        model = Event
        fields = []

    def filter_actor(self, queryset, name, value):
        # `actor` and `actor_role` combine: the actor in that role. Both arrive here; apply once.
        actors = self.form.cleaned_data.get("actor")
        roles = self.form.cleaned_data.get("actor_role")
        if name == "actor_role" and actors:
            return queryset
        links = EventActor.objects.filter(event=OuterRef("pk"))
        if actors:
            links = links.filter(actor__in=actors)
        if roles:
            links = links.filter(role__in=roles)
        return queryset.filter(Exists(links))

    def filter_claimant(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(event=OuterRef("pk"), claimant__in=value)))

    def filter_source(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(claims_from(value), event=OuterRef("pk"))))

    def filter_contested_by(self, queryset, name, value):
        contradictions = CONTRADICTIONS.filter(to_claim__event=OuterRef("pk"), from_claim__claimant__in=value)
        return queryset.filter(Exists(contradictions))


class ClaimFilterSet(BaseFilterSet):
    search_related = ("claimant",)

    claimant = SlugListFilter(queryset=Actor.objects.all())
    event = SlugListFilter(queryset=Event.objects.all())
    source = SlugListFilter(queryset=Source.objects.all(), method="filter_source")
    claim_type = ChoiceListFilter(choices=ClaimType.choices)
    status = ChoiceListFilter(choices=ClaimStatus.choices)
    value_min = IntegerFilter(method="filter_value", maximum=BIGINT_MAX, label="Figure at least.")
    value_max = IntegerFilter(method="filter_value", maximum=BIGINT_MAX, label="Figure at most.")
    contradicts = SlugListFilter(
        queryset=Claim.objects.all(),
        method="filter_contradicts",
        label="Claim slugs (comma-separated): claims that contradict any of them.",
    )
    contradicted_by = SlugListFilter(
        queryset=Claim.objects.all(),
        method="filter_contradicted_by",
        label="Claim slugs (comma-separated): claims that any of them contradicts.",
    )
    contradicted = BooleanFilter(
        method="filter_contradicted", label="Claims that another claim contradicts (true) or none does."
    )
    # The claim's event, filtered as the events collection filters events ("casualty claims in Syria in
    # October 2015"): the events' own filters, reached through `event`.
    country, admin1, place, date_from, date_to, event_type, bbox = through(
        "event", EventFilterSet, "country", "admin1", "place", "date_from", "date_to", "event_type", "bbox"
    )
    ordering = OrderingFilter(fields=["slug", "made_on", "claim_type", "value", "updated_at"])

    class Meta:
        model = Claim
        fields = []

    def filter_source(self, queryset, name, value):
        return queryset.filter(claims_from(value))

    def filter_contradicts(self, queryset, name, value):
        return queryset.filter(Exists(CONTRADICTIONS.filter(from_claim=OuterRef("pk"), to_claim__in=value)))

    def filter_contradicted_by(self, queryset, name, value):
        return queryset.filter(Exists(CONTRADICTIONS.filter(to_claim=OuterRef("pk"), from_claim__in=value)))

    def filter_contradicted(self, queryset, name, value):
        if value is None:
            return queryset
        contradicted = Exists(CONTRADICTIONS.filter(to_claim=OuterRef("pk")))
        return queryset.filter(contradicted if value else ~contradicted)

    def filter_value(self, queryset, name, value):
        lookup = "gte" if name == "value_min" else "lte"
        return queryset.alias(figure=claim_figure()).filter(**{f"figure__{lookup}": value})
