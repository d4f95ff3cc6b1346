"""What happened and who says so: actors, places, events and the claims about them."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from conflictdb.history import tracked
from conflictdb.models import DatePrecision, PublicRecord, vocabulary_index
from conflictdb.search import search_indexes, search_triggers
from conflictdb.slugs import SLUG_TRIGGERS
from events.conditions import COUNTRY_CODE, at_most, claim_figure, sub_event_type_matches
from events.summary import CLAIM_TRIGGERS, RELATION_TRIGGERS
from events.tallies import CLAIM_TALLY, EVENT_TALLY, PLACE_TALLY
from events.vocabularies import (
    ActorKind,
    ActorRole,
    ClaimRelationKind,
    ClaimStatus,
    ClaimType,
    EventType,
    GeoPrecision,
    SubEventType,
)
from sources.models import Source


@tracked
class Actor(PublicRecord):
    """Anyone who acts, speaks or is acted upon: a state, a ministry, an armed group, a person, civilians."""

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=ActorKind.choices)
    country = models.CharField(max_length=3, blank=True, db_index=True, help_text="ISO 3166-1 alpha-3.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The body this actor belongs to or leads (a ministry's state, a president's state).",
    )
    aliases = ArrayField(models.CharField(max_length=300), blank=True, default=list)
    description = models.TextField(blank=True)
    background = models.TextField(
        blank=True, db_default="", help_text="What it holds from outside the sources, and why."
    )

    # The public fields in order; every other list of them derives from it (conflictdb/fieldlists.py).
    FIELDS = (
        *("slug", "previous_slugs", "name", "kind", "country"),
        *("parent", "aliases", "description", "background"),
    )

    class Meta(PublicRecord.Meta):
        indexes = [vocabulary_index("actor", "kind"), *search_indexes("actor")]
        triggers = [*search_triggers(["name", "aliases[]"], ["description"]), *SLUG_TRIGGERS]
        constraints = [
            models.CheckConstraint(
                condition=COUNTRY_CODE,
                name="actor_country_alpha3",
                violation_error_message="Country must be an ISO 3166-1 alpha-3 code such as SYR.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="actor_not_own_parent",
                violation_error_message="An actor cannot be its own parent.",
            ),
        ]


def coordinate(limit: int) -> models.DecimalField:
    """Degrees within ±limit: the range constraints below, as validators too (checked by the API first,
    given as bounds by the schema)."""
    validators = [MinValueValidator(-limit), MaxValueValidator(limit)]
    return models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=validators)


@tracked
class Place(PublicRecord):
    """A named location with WGS84 coordinates and an honest statement of their precision."""

    name = models.CharField(max_length=300)
    aliases = ArrayField(models.CharField(max_length=300), blank=True, default=list)
    country = models.CharField(max_length=3, db_index=True, help_text="ISO 3166-1 alpha-3.")
    admin1 = models.CharField(max_length=200, blank=True, db_index=True, help_text="Governorate or province.")
    latitude = coordinate(90)
    longitude = coordinate(180)
    geo_precision = models.CharField(max_length=16, choices=GeoPrecision.choices)

    # The public fields in order; every other list of them derives from it (conflictdb/fieldlists.py).
    FIELDS = (
        *("slug", "previous_slugs", "name", "aliases", "country"),
        *("admin1", "latitude", "longitude", "geo_precision"),
    )

    class Meta(PublicRecord.Meta):
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_coordinates"),
            *search_indexes("place"),
        ]
        triggers = [*search_triggers(["name", "aliases[]"], ["admin1"]), *SLUG_TRIGGERS, *PLACE_TALLY]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{3}$"),
                name="place_country_alpha3",
                violation_error_message="Country must be an ISO 3166-1 alpha-3 code such as SYR.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_paired",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]


@tracked
class Event(PublicRecord):
    """Something that happened at a place over a date range, with the actors involved and claims about it.

    Fatalities follow UCDP's low / best / high convention and stay empty where no claim gives them.
    """

    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="In our own words.")
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    sub_event_type = models.CharField(max_length=40, choices=SubEventType.choices, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    date_precision = models.CharField(max_length=16, choices=DatePrecision.choices)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="A larger event (a campaign) this one belongs to.",
    )
    actors = models.ManyToManyField(Actor, through="EventActor", related_name="events")
    fatalities_low = models.PositiveIntegerField(null=True, blank=True)
    fatalities_best = models.PositiveIntegerField(null=True, blank=True)
    fatalities_high = models.PositiveIntegerField(null=True, blank=True)
    # The claims' summary, kept by triggers on claims and their relations (events/summary.py).
    claim_count = models.PositiveIntegerField(db_default=0, editable=False, help_text="Claims about it.")
    disputed = models.BooleanField(
        db_default=False,
        editable=False,
        help_text="Whether one of its claims contradicts another claim or is contradicted by one.",
    )

    # The public fields in order; every other list of them derives from it (conflictdb/fieldlists.py).
    FIELDS = (
        "slug",
        "previous_slugs",
        "title",
        "summary",
        "event_type",
        "sub_event_type",
        "start_date",
        "end_date",
        "date_precision",
        "place",
        "part_of",
        "actors",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
        "evidence",
    )
    # Read only, after FIELDS: kept by the triggers, never written by a client or a fixture.
    SUMMARY = ("claim_count", "disputed")

    class Meta(PublicRecord.Meta):
        indexes = [
            # Dates, with the type and the place: an exact count of events filtered on dates and on type,
            # country, place or bbox (conflictdb/counting.py) reads this index and the places, not events
            # scattered over the table.
            models.Index(
                fields=["start_date", "end_date"], include=["event_type", "place"], name="event_date_range"
            ),
            # The default order with the type and the dates beside it: a page in slug order filtered on
            # them checks them in the index, and reads from the table only the events that match.
            models.Index(
                fields=["slug", "event_type", "end_date", "start_date"], name="event_slug_type_dates"
            ),
            # The API's other orderings, each ending on slug as its pages do: a first page reads 50
            # index entries instead of sorting the table.
            models.Index(fields=["end_date", "slug"], name="event_end_date_order"),
            models.Index(fields=["title", "slug"], name="event_title_order"),
            models.Index(F("fatalities_best").desc(nulls_last=True), "slug", name="event_deadliest_first"),
            models.Index(fields=["slug"], condition=Q(disputed=True), name="event_disputed"),
            # Events per place and type, as the explorer's map counts them: from this index alone.
            models.Index(fields=["place", "event_type"], include=["fatalities_best"], name="event_per_place"),
            *(vocabulary_index("event", name) for name in ("event_type", "sub_event_type")),
            *search_indexes("event"),
        ]
        triggers = [*search_triggers(["title"], ["summary"]), *SLUG_TRIGGERS, *EVENT_TALLY]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=at_most("fatalities_low", "fatalities_best")
                & at_most("fatalities_best", "fatalities_high")
                & at_most("fatalities_low", "fatalities_high"),
                name="event_fatalities_ordered",
                violation_error_message="Fatalities must satisfy low <= best <= high.",
            ),
            models.CheckConstraint(
                condition=sub_event_type_matches(),
                name="event_sub_type_of_type",
                violation_error_message="The sub-event type does not belong to the event type.",
            ),
            models.CheckConstraint(
                condition=~Q(part_of=F("pk")),
                name="event_not_part_of_itself",
                violation_error_message="An event cannot be part of itself.",
            ),
        ]

    def save(self, *args, **kwargs):
        """Writes every field loaded but the claims' summary, which the triggers alone write: an event read
        before a claim was added would otherwise put its old summary back."""
        if not self._state.adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in deferred and field.name not in self.SUMMARY
            ]
        super().save(*args, **kwargs)


@tracked
class EventActor(models.Model):
    """An actor's role in an event (perpetrator, target, ...)."""

    history_parent = "event"  # in the changes feed, a change here is a change of the event
    FIELDS = ("event", "actor", "role")  # in order (conflictdb/fieldlists.py)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="event_roles")
    role = models.CharField(max_length=16, choices=ActorRole.choices)

    class Meta:
        ordering = ["role", "actor__slug"]
        indexes = [models.Index(fields=["actor", "role"], name="event_actor_role")]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="event_actor_role_unique"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.role}) in {self.event}"


@tracked
class Claim(PublicRecord):
    """An assertion by a claimant, reported in a source, about an event, an actor or the conflict.

    The figure, when the claim states one, is `value` or a `value_low`..`value_high` range in `unit`;
    `value_is_lower_bound` marks "more than 20".
    """

    claimant = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims_made")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    about_actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="claims_about"
    )
    claim_type = models.CharField(max_length=32, choices=ClaimType.choices)
    statement = models.TextField(help_text="What is claimed, in our own words, one line.")
    quote = models.TextField(
        blank=True, help_text="The claimant's words, verbatim, where the source quotes them."
    )
    value = models.PositiveBigIntegerField(null=True, blank=True)
    value_low = models.PositiveBigIntegerField(null=True, blank=True)
    value_high = models.PositiveBigIntegerField(null=True, blank=True)
    value_is_lower_bound = models.BooleanField(default=False)
    unit = models.CharField(
        max_length=100, blank=True, help_text="What the figure counts, e.g. deaths, sorties."
    )
    made_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=16, choices=DatePrecision.choices, blank=True)
    is_self_report = models.BooleanField(default=False, help_text="The claimant describes its own action.")
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED)
    status_reason = models.TextField(blank=True)
    related_claims = models.ManyToManyField(
        "self", through="ClaimRelation", symmetrical=False, related_name="related_from"
    )

    # The public fields in order; every other list of them derives from it (conflictdb/fieldlists.py).
    FIELDS = (
        *("slug", "previous_slugs", "claim_type", "claimant", "source", "event", "about_actor"),
        *("statement", "quote", "value", "value_low", "value_high", "value_is_lower_bound", "unit"),
        *("made_on", "date_precision", "is_self_report", "status", "status_reason", "relations"),
    )

    class Meta(PublicRecord.Meta):
        indexes = [
            # The figure `value_min`/`value_max` compare (claims' filterset): with an index on it, PostgreSQL
            # also keeps statistics of it, and plans a rare figure as rare.
            models.Index(claim_figure(), name="claim_figure"),
            # An event's claims with their sources: the ACLED export's publishers from the index alone.
            models.Index(fields=["event"], include=["source"], name="claim_event_sources"),
            *(vocabulary_index("claim", name) for name in ("claim_type", "status")),
            *search_indexes("claim"),
        ]
        triggers = [*search_triggers(["statement"], ["quote", "unit"]), *SLUG_TRIGGERS]
        triggers += [*CLAIM_TRIGGERS, *CLAIM_TALLY]  # its events' claim summary, its tallies
        constraints = [
            models.CheckConstraint(
                condition=at_most("value_low", "value_high")
                & at_most("value_low", "value")
                & at_most("value", "value_high"),
                name="claim_values_ordered",
                violation_error_message="The claim's figures must satisfy low <= value <= high.",
            ),
            models.CheckConstraint(
                condition=Q(unit="")
                | Q(value__isnull=False)
                | Q(value_low__isnull=False)
                | Q(value_high__isnull=False),
                name="claim_unit_has_figure",
                violation_error_message="A unit needs a figure.",
            ),
            models.CheckConstraint(
                condition=~Q(unit="")
                | Q(value__isnull=True, value_low__isnull=True, value_high__isnull=True),
                name="claim_figure_has_unit",
                violation_error_message="A figure needs a unit.",
            ),
            models.CheckConstraint(
                condition=Q(made_on__isnull=True, date_precision="")
                | Q(made_on__isnull=False) & ~Q(date_precision=""),
                name="claim_date_has_precision",
                violation_error_message="A claim's date needs a precision, and a precision needs a date.",
            ),
        ]


@tracked
class ClaimRelation(models.Model):
    """One claim supporting or contradicting another. An event is disputed when its claims contradict."""

    history_parent = "from_claim"  # in the changes feed, a change here is a change of the claim
    FIELDS = ("from_claim", "to_claim", "kind", "note")  # in order (conflictdb/fieldlists.py)

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="inverse_relations")
    kind = models.CharField(max_length=16, choices=ClaimRelationKind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["from_claim__slug", "to_claim__slug"]
        triggers = [*RELATION_TRIGGERS]
        constraints = [
            models.UniqueConstraint(fields=["from_claim", "to_claim"], name="claim_relation_unique"),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="claim_relation_not_self",
                violation_error_message="A claim cannot support or contradict itself.",
            ),
        ]

    def __str__(self):
        return f"{self.from_claim} {self.kind} {self.to_claim}"


from events.evidence import EventEvidence  # noqa: E402, F401 (a model of its own module, needing those above)
