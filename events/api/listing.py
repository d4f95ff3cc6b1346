"""The events and claims lists: one statement per page, and rows shaped without a serializer per record.

Through EventSerializer or ClaimSerializer, a page of 50 records costs more Python than all the rest of
the request: model instances first, then a field object per value and a nested serializer per related
record. The lists instead read the columns they show as values(); related records come as JSON that
PostgreSQL builds in the same statement, by subqueries it runs for the page's rows only. Then
`listed_event` and `listed_claim` give each row its serializer's shape (the tests hold them to that);
`detailed_event` builds one event as read from them. The serializers remain the documented schema, and
shape the records that writes return.

The subqueries' SQL is the same for every request; only the filters and the ordering around it change.
So `event_rows` and `claim_rows` are compiled to SQL once per process, on first use (the SQL depends on
the server's version), instead of Django building and compiling the subqueries anew for each request,
which cost more than PostgreSQL takes to run them.
"""

from datetime import UTC
from functools import cache

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from events.api.serializers import (
    CLAIM_FIELDS,
    EVENT_FIELDS,
    TIMESTAMPS,
    ActorSummarySerializer,
    ClaimRelationSerializer,
    EventActorSerializer,
    PlaceSummarySerializer,
)
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.api.serializers import SourceSummarySerializer
from sources.models import Source

# The serializers' own fields, less the related records (read by subqueries, below).
EVENT_COLUMNS = [
    "slug",
    "title",
    *[f for f in EVENT_FIELDS if f not in ("place", "part_of", "actors")],
    *TIMESTAMPS,
]
# The keys of each related record: its summary serializer's fields.
PLACE_KEYS = PlaceSummarySerializer.Meta.fields
EVENT_ACTOR_KEYS = EventActorSerializer.Meta.fields

CLAIM_RELATED = ("claimant", "source", "event", "about_actor", "relations")
CLAIM_COLUMNS = [*[f for f in CLAIM_FIELDS if f not in CLAIM_RELATED], *TIMESTAMPS]
CLAIMANT_KEYS = ActorSummarySerializer.Meta.fields
SOURCE_KEYS = SourceSummarySerializer.Meta.fields
RELATION_KEYS = ClaimRelationSerializer.Meta.fields


def json_of(keys: list[str], **paths) -> JSONObject:
    """A JSON object of `keys`, each read from the field of the same name unless `paths` names another."""
    return JSONObject(**{key: paths.get(key, key) for key in keys})


def in_order(record: dict | None, keys: list[str]) -> dict | None:
    """A JSON object from PostgreSQL (jsonb, whose keys come sorted) with its keys in the schema's order."""
    return None if record is None else {key: record[key] for key in keys}


def timestamp(value) -> str:
    """A datetime as DRF writes it: ISO 8601 in UTC, with a Z."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def by_key(model, field: str):
    """The record of `model` that the outer row's `field` (a foreign key) points to, for a subquery.

    Related records are read by such subqueries rather than joins: PostgreSQL runs them for the page's
    rows only, and five joins cost it more to plan than the page costs to read."""
    return model.objects.filter(pk=OuterRef(field)).order_by()


def compiled_once(listing):
    """`listing` (values() rows of every record of a model) with each related-record subquery and summary
    as the SQL it compiles to, so that filtering and ordering it leaves them as they are.

    The SQL refers to the outer table by its name, which Django keeps as the alias of a query's own
    table: a listing is filtered, ordered and sliced, never nested in another query.
    """
    query = listing.query
    compiler = query.get_compiler(listing.db)
    compiled = {
        name: RawSQL(*compiler.compile(expression), output_field=expression.output_field)
        for name, expression in query.annotations.items()
    }
    return listing.model.objects.values(*query.values_select, **compiled)


@cache
def event_rows(*also: str):
    """Every event as `event_listing` rows (with the fields `also`), compiled once."""
    return compiled_once(event_listing(*also))


@cache
def claim_rows():
    """Every claim as `claim_listing` rows, compiled once."""
    return compiled_once(claim_listing())


def event_listing(*also: str):
    """Events as values() rows holding everything the list shows, and the fields `also`."""
    actors = (
        EventActor.objects.filter(event=OuterRef("pk"))
        .order_by("role", "actor__slug")
        .values(json=json_of(EVENT_ACTOR_KEYS, slug="actor__slug", name="actor__name", kind="actor__kind"))
    )
    return Event.objects.values(
        *EVENT_COLUMNS,
        *also,
        place_json=Subquery(by_key(Place, "place_id").values(json=json_of(PLACE_KEYS))),
        part_of_slug=Subquery(by_key(Event, "part_of_id").values("slug")),
        actor_list=ArraySubquery(actors),
    ).with_claim_summary(page=True)


def listed_event(row: dict) -> dict:
    """A row of `event_listing` as EventSerializer writes the event."""
    return {
        "slug": row["slug"],
        "title": row["title"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "start_date": row["start_date"].isoformat(),
        "end_date": row["end_date"].isoformat(),
        "date_precision": row["date_precision"],
        "place": in_order(row["place_json"], PLACE_KEYS),
        "part_of": row["part_of_slug"],
        "actors": [in_order(actor, EVENT_ACTOR_KEYS) for actor in row["actor_list"]],
        "fatalities_low": row["fatalities_low"],
        "fatalities_best": row["fatalities_best"],
        "fatalities_high": row["fatalities_high"],
        "claim_count": row["claim_count"],
        "disputed": row["disputed"],
        **{name: timestamp(row[name]) for name in TIMESTAMPS},
    }


def detailed_event(row: dict, claims: list[dict]) -> dict:
    """A row of `event_rows("summary", ...)` with its claims' `listed_claim`s, as EventDetailSerializer
    writes the event."""
    listed = listed_event(row)
    head = {"slug": listed.pop("slug"), "title": listed.pop("title"), "summary": row["summary"]}
    return {**head, **listed, "claims": claims}


def claim_listing():
    """Claims as values() rows holding everything the list shows."""
    relations = (
        ClaimRelation.objects.filter(from_claim=OuterRef("pk"))
        .order_by("to_claim__slug")
        .values(json=json_of(RELATION_KEYS, claim="to_claim__slug"))
    )
    return Claim.objects.values(
        *CLAIM_COLUMNS,
        claimant_json=Subquery(by_key(Actor, "claimant_id").values(json=json_of(CLAIMANT_KEYS))),
        source_json=Subquery(
            by_key(Source, "source_id").values(json=json_of(SOURCE_KEYS, reported_in="reported_in__slug"))
        ),
        event_slug=Subquery(by_key(Event, "event_id").values("slug")),
        about_actor_slug=Subquery(by_key(Actor, "about_actor_id").values("slug")),
        relation_list=ArraySubquery(relations),
    )


def listed_claim(row: dict) -> dict:
    """A row of `claim_listing` as ClaimSerializer writes the claim."""
    return {
        "slug": row["slug"],
        "claim_type": row["claim_type"],
        "claimant": in_order(row["claimant_json"], CLAIMANT_KEYS),
        "source": in_order(row["source_json"], SOURCE_KEYS),
        "event": row["event_slug"],
        "about_actor": row["about_actor_slug"],
        **{name: row[name] for name in ["statement", "quote", "value", "value_low", "value_high"]},
        "value_is_lower_bound": row["value_is_lower_bound"],
        "unit": row["unit"],
        "made_on": None if row["made_on"] is None else row["made_on"].isoformat(),
        **{name: row[name] for name in ["date_precision", "is_self_report", "status", "status_reason"]},
        "relations": [in_order(relation, RELATION_KEYS) for relation in row["relation_list"]],
        **{name: timestamp(row[name]) for name in TIMESTAMPS},
    }
