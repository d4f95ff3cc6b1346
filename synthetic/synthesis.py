"""The synthetic dataset of a seed and a size: its world, its planned events, and each table's rows."""

from collections.abc import Iterable

from django.db import models

from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.models import Source
from synthetic.claim_rows import ClaimRows
from synthetic.columns import copy_columns
from synthetic.event_rows import EventRows
from synthetic.ids import Ids
from synthetic.plan import EventPlan
from synthetic.world import make_world

Stream = tuple[type[models.Model], list[str], Iterable[tuple]]  # a model, its COPY columns, its rows


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
            (Source, copy_columns(Source), self.world.sources),
            (Actor, copy_columns(Actor), self.world.actors),
            (Place, copy_columns(Place), self.world.places),
            (Event, copy_columns(Event), self.event_rows.events()),
            (EventActor, copy_columns(EventActor), self.event_rows.event_actors()),
            (Claim, copy_columns(Claim), self.claim_rows.claims()),
            (ClaimRelation, copy_columns(ClaimRelation), self.claim_rows.relations()),
        ]
