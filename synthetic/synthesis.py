"""The synthetic dataset of a seed and a size: its world, its planned events, and each table's rows."""

from collections.abc import Iterable

from django.db import models

from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.models import Source
from synthetic.claim_rows import ClaimRows
from synthetic.columns import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    EVENT_ACTOR_COLUMNS,
    EVENT_COLUMNS,
    PLACE_COLUMNS,
    RELATION_COLUMNS,
    SOURCE_COLUMNS,
)
from synthetic.event_rows import EventRows
from synthetic.ids import Ids
from synthetic.plan import EventPlan
from synthetic.world import make_world

Stream = tuple[type[models.Model], str, Iterable[tuple]]  # a model, its COPY columns, its rows


class Synthesis:
    """The synthetic dataset of `events` events for `seed`, as row streams for COPY.

    Rows refer to other rows by id: `ids[model]` is the id before the first row of that model.
    """

    def __init__(self, *, events: int, seed: int, ids: dict[type[models.Model], int]):
        self.ids = Ids(dict(ids))
        self.world = make_world(events=events, seed=seed, ids=self.ids)
        self.plan = EventPlan(self.world, events=events, seed=seed)
        self.event_rows = EventRows(self.plan, self.ids)
        self.claim_rows = ClaimRows(self.plan, self.ids)

    def streams(self) -> list[Stream]:
        """Each table's rows, in loading order (a table after those it refers to); lazily derived."""
        return [
            (Source, SOURCE_COLUMNS, self.world.sources),
            (Actor, ACTOR_COLUMNS, self.world.actors),
            (Place, PLACE_COLUMNS, self.world.places),
            (Event, EVENT_COLUMNS, self.event_rows.events()),
            (EventActor, EVENT_ACTOR_COLUMNS, self.event_rows.event_actors()),
            (Claim, CLAIM_COLUMNS, self.claim_rows.claims()),
            (ClaimRelation, RELATION_COLUMNS, self.claim_rows.relations()),
        ]
