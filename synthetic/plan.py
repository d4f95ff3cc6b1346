"""The synthetic events, planned block by block: what each is, how many claims it has, which disagree.

Memory stays bounded: events are made in blocks of BLOCK, each block drawing from its own random streams
seeded by (seed, stream, block), so the events, their actors, their claims and the claims' relations can
each be streamed into their own COPY by deriving the block again rather than keeping millions of rows.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from conflictdb.models import DatePrecision
from events.vocabularies import ActorKind, ActorRole, ClaimRelationKind, EventType
from synthetic.frequencies import (
    ACTORS_PER_EVENT,
    CLAIMS_PER_EVENT,
    DATE_PRECISIONS,
    EVENT_TYPES,
    SUB_TYPES,
)
from synthetic.randomness import FIRST_DAY, LAST_DAY, Skewed, rng_for
from synthetic.world import World

BLOCK = 1000  # events derived together from one set of random streams


@dataclass
class EventCore:
    """What the rows of an event, its actors and its claims all need, derived again in each pass."""

    number: int
    event_type: str
    sub_event_type: str
    start: int  # date ordinals
    end: int
    date_precision: str
    place: int | None  # index into the world's places
    actors: list[tuple[int, str]]  # (actor index, role)
    fatalities: tuple[int | None, int | None, int | None]


class EventPlan:
    """The events of a dataset of `events` events in a world, derived again block by block on demand."""

    def __init__(self, world: World, *, events: int, seed: int):
        self.world = world
        self.events = events
        self.seed = seed
        self.pick_place = Skewed(len(world.places), 1.0)
        self.pick_any_belligerent = Skewed(len(world.all_belligerents), 1.0)
        self.pick_in_country = {
            code: Skewed(len(actors), 1.0) for code, actors in world.belligerents.items() if actors
        }

    @property
    def blocks(self) -> range:
        return range((self.events + BLOCK - 1) // BLOCK)

    def cores(self, block: int) -> list[EventCore]:
        rng = rng_for(self.seed, "events", block)
        first = block * BLOCK
        return [self.core(rng, number) for number in range(first + 1, min(first + BLOCK, self.events) + 1)]

    def core(self, rng: random.Random, number: int) -> EventCore:
        event_type = EVENT_TYPES(rng)
        sub_event_type = "" if rng.random() < 0.03 else SUB_TYPES[event_type](rng)
        precision = DATE_PRECISIONS(rng)
        start = rng.randint(FIRST_DAY, LAST_DAY)
        end = start
        if precision == DatePrecision.RANGE:
            end = min(start + rng.randint(1, 6), LAST_DAY)
        elif precision == DatePrecision.MONTH:
            day = date.fromordinal(start)
            start = day.replace(day=1).toordinal()
            end = (date(day.year + day.month // 12, day.month % 12 + 1, 1)).toordinal() - 1
        elif precision == DatePrecision.YEAR:
            year = date.fromordinal(start).year
            start, end = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        place = None if rng.random() < 0.02 else self.pick_place(rng)
        country = self.world.place_countries[place] if place is not None else None
        actors = []
        for position in range(ACTORS_PER_EVENT(rng)):
            actor = self.pick_actor(rng, country)
            if any(actor == a for a, _ in actors):
                continue  # the same actor drawn twice: the event has one actor fewer
            actors.append((actor, self.role(rng, event_type, position, self.world.actor_kinds[actor])))
        return EventCore(
            number, event_type, sub_event_type, start, end, precision, place, actors, self.fatalities(rng)
        )

    def pick_actor(self, rng: random.Random, country: str | None) -> int:
        if country in self.pick_in_country and rng.random() < 0.75:
            in_country = self.world.belligerents[country]
            return in_country[self.pick_in_country[country](rng)]
        return self.world.all_belligerents[self.pick_any_belligerent(rng)]

    @staticmethod
    def role(rng: random.Random, event_type: str, position: int, kind: str) -> str:
        if event_type in (EventType.PROTESTS, EventType.RIOTS, EventType.STRATEGIC_DEVELOPMENTS):
            return ActorRole.PARTY if position == 0 or rng.random() < 0.7 else ActorRole.TARGET
        if position == 0:
            return ActorRole.PERPETRATOR
        if position == 1:
            return ActorRole.VICTIM if kind == ActorKind.COLLECTIVE else ActorRole.TARGET
        return ActorRole.ALLY if rng.random() < 0.6 else ActorRole.PARTY

    @staticmethod
    def fatalities(rng: random.Random) -> tuple[int | None, int | None, int | None]:
        """UCDP's low / best / high; often unknown, heavy-tailed when known."""
        if rng.random() < 0.5:
            return None, None, None
        best = 0 if rng.random() < 0.1 else min(int(rng.paretovariate(0.8)), 5000)
        shape = rng.random()
        if shape < 0.6:
            return None, best, None
        if shape < 0.9:
            return max(0, best - rng.randint(0, best // 2)), best, best + rng.randint(0, best // 2 + 1)
        return best, None, None  # only a lower bound is known

    def claim_counts(self, block: int, size: int) -> list[int]:
        rng = rng_for(self.seed, "claim-counts", block)
        return [CLAIMS_PER_EVENT(rng) for _ in range(size)]

    def block_sizes(self) -> Iterator[tuple[int, int]]:
        for block in self.blocks:
            yield block, min(BLOCK, self.events - block * BLOCK)

    def block_relations(self, block: int, size: int) -> Iterator[tuple[int, int, int, str]]:
        """The relations between claims on the same event in a block: (the event's position in the block,
        the later claim's and the earlier claim's positions among its claims, kind). Some contradict each
        other (the event is disputed), some support."""
        rng = rng_for(self.seed, "relations", block)
        for position, count in enumerate(self.claim_counts(block, size)):
            if count >= 2:
                pairs = set()
                if rng.random() < 0.07:
                    later, earlier = sorted(rng.sample(range(count), 2), reverse=True)
                    pairs.add((later, earlier))
                    yield position, later, earlier, ClaimRelationKind.CONTRADICTS
                if rng.random() < 0.1:
                    later, earlier = sorted(rng.sample(range(count), 2), reverse=True)
                    if (later, earlier) not in pairs:
                        yield position, later, earlier, ClaimRelationKind.SUPPORTS
