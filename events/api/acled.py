"""Events as a CSV in ACLED's column layout (`format=acled`), for scripts written against ACLED's files.

Each ACLED column is filled from what our data says, mapped to ACLED's codes as ACLED's codebook defines
them (docs/api.md, "The ACLED layout", has the table and the reasons); a column our data has no
equivalent for stays empty, never guessed. The export is one COPY statement like the other CSV exports
(conflictdb/exports.py): the event's own values and its actors' are read as export columns, and each
ACLED column is SQL over them.
"""

import json

import pycountry
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Case,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject, NullIf

from conflictdb.exports import CSVLayout, Part
from events.models import Claim, EventActor
from events.vocabularies import ActorKind, ActorRole, EventType, GeoPrecision, SubEventType
from sources.models import Source

# ACLED's actor 1 and its associated actors are the side that acts: the perpetrators first, then their
# allies; actor 2 and its associated actors the side acted upon: the targets, then the victims. Other
# parties have no place in ACLED's two sides.
SIDES = {1: [ActorRole.PERPETRATOR, ActorRole.ALLY], 2: [ActorRole.TARGET, ActorRole.VICTIM]}

# Actors whose ACLED inter code our data tells: a state, its bodies and armed forces are State Forces (1)
# in their own country and External/Other Forces (8) in another's; international organisations are
# External/Other Forces. Armed groups (rebels, political or identity militias: 2, 3, 4), collectives
# (civilians or rebels) and people have no code we could honestly give.
STATE_KINDS = [ActorKind.STATE, ActorKind.GOVERNMENT_BODY, ActorKind.ARMED_FORCE]
STATE_FORCES, EXTERNAL_FORCES = 1, 8

# ACLED's disorder type, from the sub-event type where the event type alone does not tell.
DISORDER_OF_TYPE = {
    EventType.BATTLES: "Political violence",
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: "Political violence",
    EventType.VIOLENCE_AGAINST_CIVILIANS: "Political violence",
    EventType.STRATEGIC_DEVELOPMENTS: "Strategic developments",
}
DISORDER_OF_SUB_TYPE = {
    SubEventType.PEACEFUL_PROTEST: "Demonstrations",
    SubEventType.PROTEST_WITH_INTERVENTION: "Demonstrations",
    SubEventType.EXCESSIVE_FORCE: "Political violence; Demonstrations",
    SubEventType.VIOLENT_DEMONSTRATION: "Demonstrations",
    SubEventType.MOB_VIOLENCE: "Political violence",
}

# ACLED's geo-precision: 1, a town (or a point within it); 2, near a town or in a small part of a region;
# 3, a larger region (such as a province). A place known only to its country has no ACLED precision.
GEO_PRECISION = {
    GeoPrecision.EXACT: 1,
    GeoPrecision.TOWN: 1,
    GeoPrecision.NEAR: 2,
    GeoPrecision.ADMIN1: 3,
}

# The longest range of days (end minus start) each ACLED time precision stands for: 1, the day; 2, a week
# or a like period; 3, a month or less. A wider range has no ACLED precision.
DAY, WEEK, MONTH = 0, 6, 30


def literal(value) -> str:
    """`value` as an SQL literal: COPY takes no parameters, and these are the module's own constants."""
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def case(column: str, mapping: dict) -> str:
    """SQL mapping the values of `column` (a `{name}` placeholder) by `mapping`; others give NULL."""
    whens = " ".join(f"WHEN {literal(key)} THEN {literal(value)}" for key, value in mapping.items())
    return f"CASE {column} {whens} END"


def country_lookup(value_of) -> str:
    """SQL looking the place's alpha-3 code up in a JSON object of every country's `value_of(country)`
    (ISO 3166-1, as pycountry ships it): one hash lookup per row instead of a CASE of 249 branches."""
    table = {country.alpha_3: value_of(country) for country in pycountry.countries}
    table_sql = literal(json.dumps(table, ensure_ascii=False)).replace("{", "{{").replace("}", "}}")
    return f"({table_sql}::jsonb ->> {{country}})"  # braces doubled: the layout's rows are templates


def country_name(country) -> str:
    """The standard's English short name, or its common name where it gives one (Syria, not Syrian Arab
    Republic)."""
    return getattr(country, "common_name", None) or country.name


class First(Func):
    """The first element of an array (NULL if it is empty)."""

    template = "(%(expressions)s)[1]"


class RestJoined(Func):
    """The elements of an array of text after the first, joined with "; " (empty text if none)."""

    template = "array_to_string((%(expressions)s)[2:], '; ')"
    output_field = TextField()


def sides() -> Subquery:
    """The event's actors on ACLED's two sides (SIDES), in one JSON object read by one subquery: for each
    side in order (its first role first, then by slug), the first actor's name and inter code
    (`actor1`, `inter1`) and the other actors' names joined with "; " (`assoc_actor_1`)."""
    columns = {}
    for number, roles in SIDES.items():
        on_side, order = Q(role__in=roles), [Case(When(role=roles[0], then=0), default=1), "actor__slug"]
        names = ArrayAgg("actor__name", filter=on_side, order_by=order)
        columns[f"actor{number}"] = First(names, output_field=TextField())
        columns[f"assoc_actor_{number}"] = RestJoined(names)
        inters = ArrayAgg(inter_code(), filter=on_side, order_by=order)
        columns[f"inter{number}"] = First(inters, output_field=IntegerField())
    links = EventActor.objects.filter(event=OuterRef("pk")).order_by().values("event")
    return Subquery(links.annotate(sides=JSONObject(**columns)).values("sides"), output_field=JSONField())


def inter_code():
    """An event actor's ACLED inter code, where our data tells it (STATE_KINDS); otherwise NULL. A state
    actor at an event without a place, or without a country of its own, has none."""
    state = Q(actor__kind__in=STATE_KINDS)
    return Case(
        When(state & Q(actor__country=OuterRef("place__country")), then=Value(STATE_FORCES)),
        When(
            state & ~Q(actor__country="") & ~Q(actor__country=OuterRef("place__country")),
            then=Value(EXTERNAL_FORCES),
        ),
        When(actor__kind=ActorKind.INTERNATIONAL_ORGANISATION, then=Value(EXTERNAL_FORCES)),
        output_field=IntegerField(),
    )


def publishers():
    """The publishers of the sources of the event's claims, each once, in order: a source's own, or that
    of the source it was reported in (an interview in an article). Each claim's is looked up by its
    source's key (a subquery), not joined: at ten million events the planner, guessing 90 claims an
    event for 2.5, hashed every source for each event (0.06 ms an event, 10 minutes in all)."""
    sources = Source.objects.filter(pk=OuterRef("source_id"))
    publisher = Coalesce(NullIf("publisher", Value("")), NullIf("reported_in__publisher", Value("")))
    claims = Claim.objects.filter(event=OuterRef("pk")).annotate(
        publisher_name=Subquery(sources.order_by().values_list(publisher))
    )
    names = claims.filter(publisher_name__isnull=False).values("publisher_name").distinct()
    return ArraySubquery(names.order_by("publisher_name"))


SIDES_OBJECT = sides()
COLUMNS = {
    "slug": "slug",
    "start_date": "start_date",
    "end_date": "end_date",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "summary": "summary",
    "fatalities_best": "fatalities_best",
    "updated_at": "updated_at",
    "place_name": "place__name",
    "country": "place__country",
    "admin1": "place__admin1",
    "latitude": "place__latitude",
    "longitude": "place__longitude",
    "geo_precision": "place__geo_precision",
    "actor1": Part("sides", SIDES_OBJECT, "actor1"),
    "assoc_actor_1": Part("sides", SIDES_OBJECT, "assoc_actor_1"),
    "inter1": Part("sides", SIDES_OBJECT, "inter1"),
    "actor2": Part("sides", SIDES_OBJECT, "actor2"),
    "assoc_actor_2": Part("sides", SIDES_OBJECT, "assoc_actor_2"),
    "inter2": Part("sides", SIDES_OBJECT, "inter2"),
    "publishers": publishers(),
}

SPAN = "({end_date} - {start_date})"  # days after the first that the event may have happened on
DATED = f"{SPAN} <= {MONTH}"
# ACLED codes an event known to a week or a month on the middle day of the period.
MIDDLE = f"({{start_date}} + {SPAN} / 2)"


def interaction() -> str:
    """ACLED's interaction: the two inter codes, lower first (18), or the first followed by 0 when there
    is no actor 2 (10); NULL when a code is not known."""
    first, second = "{inter1}::int", "{inter2}::int"
    return (
        f"CASE WHEN {first} IS NULL THEN NULL WHEN {{actor2}} IS NULL THEN {first} * 10 "
        f"WHEN {second} IS NULL THEN NULL "
        f"ELSE least({first}, {second}) * 10 + greatest({first}, {second}) END"
    )


ROWS = {
    "event_id_cnty": "{slug}",
    "event_date": f"CASE WHEN {DATED} THEN {MIDDLE} END",
    "year": f"CASE WHEN {DATED} THEN extract(year FROM {MIDDLE})::int WHEN extract(year FROM {{start_date}}) "
    "= extract(year FROM {end_date}) THEN extract(year FROM {start_date})::int END",
    "time_precision": f"CASE WHEN {SPAN} = {DAY} THEN 1 WHEN {SPAN} <= {WEEK} THEN 2 WHEN {DATED} THEN 3 END",
    "disorder_type": f"COALESCE({case('{sub_event_type}', DISORDER_OF_SUB_TYPE)}, "
    f"{case('{event_type}', DISORDER_OF_TYPE)})",
    "event_type": case("{event_type}", dict(EventType.choices)),
    "sub_event_type": case("{sub_event_type}", dict(SubEventType.choices)),
    "actor1": "{actor1}",
    "assoc_actor_1": "NULLIF({assoc_actor_1}, '')",
    "inter1": "{inter1}::int",
    "actor2": "{actor2}",
    "assoc_actor_2": "NULLIF({assoc_actor_2}, '')",
    "inter2": "{inter2}::int",
    "interaction": interaction(),
    "civilian_targeting": case("{event_type}", {EventType.VIOLENCE_AGAINST_CIVILIANS: "Civilian targeting"}),
    "iso": f"{country_lookup(lambda country: country.numeric)}::int",
    "region": "NULL",
    "country": country_lookup(country_name),
    "admin1": "NULLIF({admin1}, '')",
    "admin2": "NULL",
    "admin3": "NULL",
    "location": "{place_name}",
    "latitude": "trim_scale({latitude})",
    "longitude": "trim_scale({longitude})",
    "geo_precision": case("{geo_precision}", GEO_PRECISION),
    "source": "NULLIF(array_to_string({publishers}, '; '), '')",
    "source_scale": "NULL",
    "notes": "NULLIF({summary}, '')",
    "fatalities": "{fatalities_best}",
    "tags": "NULL",
    "timestamp": "floor(extract(epoch FROM {updated_at}))::bigint",  # whole seconds, as ACLED's
}

ACLED = CSVLayout(columns=COLUMNS, rows=ROWS)
