"""The events list: one statement per page, and rows shaped without a serializer per record.

Through EventSerializer, a page of 50 events costs more Python than all the rest of the request: a
field object per value, a nested serializer per place and actor, and model instances built first. The
list instead reads the columns it shows as values(): the place and parent event by join, the actors
as JSON that PostgreSQL builds, the claim summary by subqueries run for the page's rows only. Then
`listed_event` gives each row EventSerializer's shape (the tests hold it to that). EventSerializer
remains the documented schema and shapes single events.
"""

from datetime import UTC

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject

from events.models import EventActor

EVENT_COLUMNS = [
    "slug",
    "title",
    "event_type",
    "sub_event_type",
    "start_date",
    "end_date",
    "date_precision",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "created_at",
    "updated_at",
]
PLACE_COLUMNS = ["slug", "name", "country", "admin1", "latitude", "longitude", "geo_precision"]
DATES = ["start_date", "end_date"]
TIMESTAMPS = ["created_at", "updated_at"]


def event_listing(queryset):
    """`queryset` (of events) as values() rows holding everything the list shows."""
    actors = (
        EventActor.objects.filter(event=OuterRef("pk"))
        .order_by("role", "actor__slug")
        .values(json=JSONObject(slug="actor__slug", name="actor__name", kind="actor__kind", role="role"))
    )
    return queryset.values(
        *EVENT_COLUMNS,
        **{f"place_{name}": F(f"place__{name}") for name in PLACE_COLUMNS},
        part_of_slug=F("part_of__slug"),
        actor_list=ArraySubquery(actors),
    ).with_claim_summary(page=True)


def listed_event(row: dict) -> dict:
    """A row of `event_listing` as EventSerializer writes the event."""
    place = None
    if row["place_slug"] is not None:
        place = {name: row[f"place_{name}"] for name in PLACE_COLUMNS}
    return {
        "slug": row["slug"],
        "title": row["title"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        **{name: row[name].isoformat() for name in DATES},
        "date_precision": row["date_precision"],
        "place": place,
        "part_of": row["part_of_slug"],
        "actors": row["actor_list"],
        "fatalities_low": row["fatalities_low"],
        "fatalities_best": row["fatalities_best"],
        "fatalities_high": row["fatalities_high"],
        "claim_count": row["claim_count"],
        "disputed": row["disputed"],
        **{name: row[name].astimezone(UTC).isoformat().replace("+00:00", "Z") for name in TIMESTAMPS},
    }
