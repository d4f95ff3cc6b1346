"""The events and claims lists: one statement per page, each record written as JSON by PostgreSQL.

Through EventSerializer or ClaimSerializer, a list request costs 9 to 14 times the Python CPU it costs
here (bench/baselines/json-records.md): model instances first, then a field object per value and a
nested serializer per related record. Even rows of values cost much: decoding the related records'
JSON, converting each date and timestamp, shaping every record and encoding it once more. So the
statement that reads a page writes each record as the serializer would (`record`, JSON text: the same
keys in the same order, the related records nested by subqueries that PostgreSQL runs for the page's
rows only), and the response carries those texts as they are (conflictdb/renderers.py). The tests hold
every record to its serializer's output. The serializers remain the documented schema, and shape the
records that writes return. Beside `record`, a page's rows hold the fields it is ordered on only, for
its cursor links (`keyed`): converting every orderable field of every row, its timestamp above all,
made a list request cost 1.2 to 1.35 times the Python CPU.

The SQL of a record is the same for every request; only the filters and the ordering around it change.
So `event_rows` and `claim_rows` are compiled to SQL once per process, on first use, instead of Django
building and compiling the subqueries anew for each request, which made a list request cost 1.4 to 1.7
times the Python CPU and an event as read 1.9 times. `compiled_once` relies on Django's query internals
(tests/conflictdb/test_library_versions.py).
"""

import json
from functools import cache
from itertools import chain

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, FloatField, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from conflictdb.pagination import ordering_keys
from events.api.relations import RelatedBySerializer, contests
from events.api.serializers import (
    ActorSummarySerializer,
    ClaimRelationSerializer,
    ClaimSerializer,
    EventActorSerializer,
    EventDetailSerializer,
    EventSerializer,
    EvidenceSerializer,
    PlaceSummarySerializer,
)
from events.evidence import EventEvidence
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import EvidenceFor
from sources.api.serializers import SourceSummarySerializer
from sources.models import Source


class JSONObject(Func):
    """A JSON object of `fields` (key: field name or expression), its keys in the order given: json,
    not jsonb, which sorts them."""

    function = "JSON_BUILD_OBJECT"
    output_field = TextField()

    def __init__(self, **fields):
        pairs = [(Cast(Value(key), TextField()), value) for key, value in fields.items()]
        super().__init__(*chain.from_iterable(pairs))


class Timestamp(Func):
    """A timestamp as DRF writes it: ISO 8601 in UTC, with a Z, and microseconds unless there are none."""

    template = (
        "REGEXP_REPLACE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
        "'\\.0{6}$', '') || 'Z'"
    )
    output_field = TextField()


def json_of(serializer_class, **values) -> JSONObject:
    """An object of the serializer's fields, each read from the field of the same name unless `values`
    gives another path or an expression. Timestamps as DRF writes them; decimals as numbers (where DRF
    writes 12.0, PostgreSQL writes 12: the same JSON number)."""
    fields = {}
    for key in serializer_class.Meta.fields:
        value = values.get(key, key)
        if key in ("created_at", "updated_at"):
            value = Timestamp(value)
        elif key in ("latitude", "longitude"):
            value = Cast(value, FloatField())
        fields[key] = value
    return JSONObject(**fields)


def by_key(model, field: str):
    """The record of `model` that the outer row's `field` (a foreign key) points to, for a subquery.

    Related records are read by such subqueries rather than joins: PostgreSQL runs them for the page's
    rows only, and five joins cost it more to plan than the page costs to read."""
    return model.objects.filter(pk=OuterRef(field)).order_by()


def compiled_once(listing):
    """`listing` (values() rows of a model's every record) with each selected expression as the SQL it
    compiles to, so that filtering and ordering it leaves them as they are.

    The SQL refers to the outer table by its name, which Django keeps as the alias of a query's own
    table: a listing is filtered, ordered and sliced, never nested in another query.
    """
    query = listing.query
    compiler = query.get_compiler(listing.db)
    compiled = {
        name: RawSQL(*compiler.compile(expression), output_field=expression.output_field)
        for name, expression in query.annotation_select.items()
    }
    return listing.model.objects.values(*query.values_select, **compiled)


def keyed(rows):
    """`rows` (of `event_rows` or `claim_rows`, filtered and ordered) holding `record` and the fields
    they are ordered on, whose values the cursor of the next or previous page carries."""
    keys = ordering_keys(rows) or []
    return rows.values("record", *(name for name, _descending in keys))


@cache
def event_rows(*also: str):
    """Every event as `event_listing` rows (with the fields `also`), compiled once."""
    return compiled_once(event_listing(*also))


@cache
def claim_rows(*also: str):
    """Every claim as `claim_listing` rows (with the fields `also`), compiled once."""
    return compiled_once(claim_listing(*also))


def event_listing(*also: str):
    """Events as values() rows: `record`, the event as EventSerializer writes it (JSON text), and the
    fields `also`."""
    role_evidence = cited(
        EventEvidence.objects.filter(
            event=OuterRef("event_id"),
            evidence_for=EvidenceFor.ROLE,
            actor=OuterRef("actor_id"),
            role=OuterRef("role"),
        )
    )
    actors = (
        EventActor.objects.filter(event=OuterRef("pk"))
        .order_by("role", "actor__slug")
        .values(
            json=json_of(
                EventActorSerializer,
                slug="actor__slug",
                name="actor__name",
                kind="actor__kind",
                evidence=role_evidence,
            )
        )
    )
    # The event's own evidence in one subquery (one per list of it cost a page a third more).
    of_event = (
        EventEvidence.objects.filter(event=OuterRef("pk"))
        .exclude(evidence_for=EvidenceFor.ROLE)
        .order_by()
        .values("event")
    )
    slug = Subquery(by_key(Claim, "claim_id").values("slug"))
    lists = {
        name: ArrayAgg(slug, filter=Q(evidence_for=name), order_by=slug, default=Value([]))
        for name in EvidenceSerializer.Meta.fields
    }
    record = json_of(
        EventSerializer,
        place=Subquery(by_key(Place, "place_id").values(json=json_of(PlaceSummarySerializer))),
        part_of=Subquery(by_key(Event, "part_of_id").values("slug")),
        actors=ArraySubquery(actors),
        evidence=Coalesce(
            Subquery(of_event.values(json=json_of(EvidenceSerializer, **lists))),
            RawSQL("%s::json", [json.dumps(dict.fromkeys(lists, []))], output_field=TextField()),  # none
        ),
    )
    return Event.objects.values(*also, record=Cast(record, TextField()))


def cited(evidence) -> ArraySubquery:
    """The slugs of the claims of `evidence` (EventEvidence rows), in slug order. Each slug is looked up
    by the claim's key: joined, PostgreSQL planned a merge join that read the claims' index from its start
    for every event, and a page cost three times what it cost without evidence."""
    slug = Subquery(by_key(Claim, "claim_id").values("slug"))
    return ArraySubquery(evidence.annotate(claim_slug=slug).order_by("claim_slug").values("claim_slug"))


def detailed_event(row: dict, claims) -> dict:
    """A row of `event_rows("summary", ...)` with its claims' rows, as EventDetailSerializer writes the
    event: the event as listed, with what the list leaves out (its summary, its claims, who contests it)
    in its place."""
    listed = json.loads(row["record"])
    claims = [json.loads(claim["record"]) for claim in claims]
    left_out = {"summary": row["summary"], "claims": claims, "contested_by": contests(claims)}
    return {
        name: listed[name] if name in listed else left_out[name] for name in EventDetailSerializer.Meta.fields
    }


def relations_of(end: str, other: str, serializer_class) -> ArraySubquery:
    """The relations whose `end` ("from_claim" or "to_claim") is the outer claim, as `serializer_class`
    writes them: the claim at the `other` end, with its claimant and event, in that claim's slug order."""
    claimant = JSONObject(slug=F(f"{other}__claimant__slug"), name=F(f"{other}__claimant__name"))
    relations = (
        ClaimRelation.objects.filter(**{end: OuterRef("pk")})
        .order_by(f"{other}__slug")
        .values(
            json=json_of(
                serializer_class, claim=f"{other}__slug", claimant=claimant, event=f"{other}__event__slug"
            )
        )
    )
    return ArraySubquery(relations)


def claim_listing(*also: str):
    """Claims as values() rows: `record`, the claim as ClaimSerializer writes it (JSON text), and the
    fields `also`."""
    source = json_of(SourceSummarySerializer, reported_in="reported_in__slug")
    record = json_of(
        ClaimSerializer,
        claimant=Subquery(by_key(Actor, "claimant_id").values(json=json_of(ActorSummarySerializer))),
        source=Subquery(by_key(Source, "source_id").values(json=source)),
        event=Subquery(by_key(Event, "event_id").values("slug")),
        about_actor=Subquery(by_key(Actor, "about_actor_id").values("slug")),
        relations=relations_of("from_claim", "to_claim", ClaimRelationSerializer),
        related_by=relations_of("to_claim", "from_claim", RelatedBySerializer),
    )
    return Claim.objects.values(*also, record=Cast(record, TextField()))
