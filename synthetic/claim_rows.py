"""The rows of the synthetic claims and of the relations between them, in COPY column order.

Each event's claims are drawn after it: some by its perpetrator (a strike report, a denial), more by
observers (a casualty count); the first casualty count agrees with the event's best fatality estimate.
"""

from collections.abc import Iterator
from itertools import accumulate

from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from conflictdb.models import DatePrecision
from events.models import Actor, Claim, Event
from events.vocabularies import ActorRole, ClaimStatus, ClaimType
from sources.models import Source
from synthetic.frequencies import (
    CASUALTY_UNITS,
    CLAIM_TYPES_OF_OTHERS,
    CLAIM_TYPES_OF_PERPETRATOR,
    SELF_REPORT_TYPES,
    STATUSES,
    STRIKE_UNITS,
)
from synthetic.ids import Ids
from synthetic.plan import EventCore, EventPlan
from synthetic.randomness import LAST_DAY, Skewed, iso, rng_for

STATEMENTS = {
    ClaimType.CASUALTY_COUNT: "{claimant} reports casualties in {where}",
    ClaimType.STRIKE_REPORT: "{claimant} reports carrying out strikes near {where}",
    ClaimType.ATTRIBUTION: "{claimant} attributes the attack in {where} to another party",
    ClaimType.TARGET_IDENTITY: "{claimant} names the target hit in {where}",
    ClaimType.DENIAL: "{claimant} denies involvement in the events in {where}",
    ClaimType.ASSESSMENT: "{claimant} assesses the situation in {where}",
    ClaimType.INTENT: "{claimant} states its aim in {where}",
    ClaimType.CONTROL: "{claimant} says it controls {where}",
    ClaimType.CONDEMNATION: "{claimant} condemns the violence in {where}",
    ClaimType.OTHER: "{claimant} comments on the events in {where}",
}


class ClaimRows:
    """Each planned event's claims as rows, and the relations between claims on the same event."""

    def __init__(self, plan: EventPlan, ids: Ids):
        self.plan = plan
        self.world = plan.world
        self.ids = ids
        self.pick_source = Skewed(len(self.world.sources), 0.9)
        self.pick_observer = Skewed(len(self.world.observers), 1.0)

    def claims(self) -> Iterator[tuple]:
        world = self.world
        number = 0
        for block, size in self.plan.block_sizes():
            rng = rng_for(self.plan.seed, "claims", block)
            for core, count in zip(self.plan.cores(block), self.plan.claim_counts(block, size), strict=True):
                perpetrator = next((a for a, role in core.actors if role == ActorRole.PERPETRATOR), None)
                where = world.place_names[core.place] if core.place is not None else "an unknown place"
                best = core.fatalities[1]
                for position in range(count):
                    number += 1
                    yield self.claim(rng, core, number, position, perpetrator, where, best)

    def claim(self, rng, core: EventCore, number, position, perpetrator, where, best) -> tuple:
        world = self.world
        if rng.random() < 0.45 and core.actors:
            claimant = core.actors[0][0] if rng.random() < 0.7 else rng.choice(core.actors)[0]
        else:
            claimant = world.observers[self.pick_observer(rng)]
        by_perpetrator = claimant == perpetrator
        claim_type = (CLAIM_TYPES_OF_PERPETRATOR if by_perpetrator else CLAIM_TYPES_OF_OTHERS)(rng)
        value = low = high = None
        lower_bound = False
        unit = ""
        if claim_type == ClaimType.CASUALTY_COUNT:
            unit = CASUALTY_UNITS(rng)
            # The first count agrees with the event's best estimate; later ones vary, as sources do.
            if best is not None and position == 0 and unit == "deaths":
                value = best
            else:
                centre = best if best is not None else min(int(rng.paretovariate(0.8)), 5000)
                value = max(0, centre + rng.randint(-centre // 2 - 1, centre // 2 + 1))
            if rng.random() < 0.15:
                low, high, value = (
                    max(0, value - rng.randint(0, value // 3 + 1)),
                    value + rng.randint(1, 5),
                    None,
                )
            lower_bound = value is not None and rng.random() < 0.12
        elif claim_type == ClaimType.STRIKE_REPORT and rng.random() < 0.4:
            unit, value = STRIKE_UNITS(rng), rng.randint(1, 60)
        statement = STATEMENTS[claim_type].format(claimant=world.actor_names[claimant], where=where)
        if unit:
            more = "more than " if lower_bound else ""
            statement += f": {more}{value if value is not None else f'{low} to {high}'} {unit}"
        made_on = None
        if rng.random() < 0.85:
            made_on = min(core.start + int(rng.expovariate(0.7)), LAST_DAY)
        status = STATUSES(rng)
        about = None
        if claim_type in (ClaimType.ATTRIBUTION, ClaimType.TARGET_IDENTITY, ClaimType.DENIAL) and core.actors:
            about = rng.choice(core.actors)[0] if rng.random() < 0.4 else None
        return (
            f"{PREFIX}claim-{number}",
            claim_type,
            self.ids.of(Actor, claimant),
            self.ids.of(Source, self.pick_source(rng)),
            self.ids.of(Event, core.number - 1),
            None if about is None else self.ids.of(Actor, about),
            f"Synthetic claim: {statement}.",
            f'"Synthetic quote {number} about {where}, not real words."' if rng.random() < 0.2 else "",
            value,
            low,
            high,
            lower_bound,
            unit,
            None if made_on is None else iso(made_on),
            "" if made_on is None else DatePrecision.DAY,
            by_perpetrator and claim_type in SELF_REPORT_TYPES,
            status,
            "" if status == ClaimStatus.UNVERIFIED else "Synthetic grading (benchmark data).",
        )

    def relations(self) -> Iterator[tuple]:
        first_claim = 0  # index of the block's first claim in the claim stream
        for block, size in self.plan.block_sizes():
            counts = self.plan.claim_counts(block, size)
            firsts = list(accumulate(counts, initial=first_claim))  # each event's first claim
            for position, later, earlier, kind in self.plan.block_relations(block, size):
                yield self.relation(firsts[position], later, earlier, kind)
            first_claim = firsts[-1]

    def relation(self, first_claim: int, later: int, earlier: int, kind: str) -> tuple:
        return (
            self.ids.of(Claim, first_claim + later),
            self.ids.of(Claim, first_claim + earlier),
            kind,
            "Synthetic relation (benchmark data).",
        )
