"""The rows of the synthetic events and of their actors, in COPY column order (synthetic/columns.py)."""

from collections.abc import Iterator

from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from events.models import Actor, Event, Place
from events.vocabularies import ClaimRelationKind, EventType, SubEventType
from synthetic.ids import Ids
from synthetic.plan import BLOCK, EventPlan
from synthetic.randomness import iso, rng_for


class EventRows:
    """Each planned event as a row, and each of its actors as a row of the link table."""

    def __init__(self, plan: EventPlan, ids: Ids):
        self.plan = plan
        self.ids = ids

    def events(self) -> Iterator[tuple]:
        """Each event, with the summary of the claims and relations written after it (claim_count,
        disputed), which the triggers that keep it would otherwise write into every event again."""
        world = self.plan.world
        labels = dict(EventType.choices) | dict(SubEventType.choices)
        for block, size in self.plan.block_sizes():
            rng = rng_for(self.plan.seed, "event-texts", block)
            claim_counts = self.plan.claim_counts(block, size)
            disputed = {
                position
                for position, _later, _earlier, kind in self.plan.block_relations(block, size)
                if kind == ClaimRelationKind.CONTRADICTS
            }
            for position, core in enumerate(self.plan.cores(block)):
                label = labels[core.sub_event_type or core.event_type]
                where = world.place_names[core.place] if core.place is not None else "an unknown place"
                by = f" by {world.actor_names[core.actors[0][0]]}" if rng.random() < 0.5 else ""
                summary = (
                    f"Synthetic benchmark event (not real data): {label.lower()}{by} in {where}, "
                    f"{iso(core.start)}."
                )
                # Now and then an event is part of the one just before it (a campaign and its strikes).
                part_of = core.number - 1 if core.number % BLOCK != 1 and rng.random() < 0.01 else None
                low, best, high = core.fatalities
                yield (
                    f"{PREFIX}event-{core.number}",
                    f"{label}{by} in {where}",
                    summary if rng.random() < 0.8 else "",
                    core.event_type,
                    core.sub_event_type,
                    iso(core.start),
                    iso(core.end),
                    core.date_precision,
                    None if core.place is None else self.ids.of(Place, core.place),
                    None if part_of is None else self.ids.of(Event, part_of - 1),
                    low,
                    best,
                    high,
                    claim_counts[position],
                    position in disputed,
                )

    def event_actors(self) -> Iterator[tuple]:
        for block in self.plan.blocks:
            for core in self.plan.cores(block):
                event = self.ids.of(Event, core.number - 1)
                for actor, role in core.actors:
                    yield event, self.ids.of(Actor, actor), role
