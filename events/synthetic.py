"""A synthetic benchmark dataset: skewed like real conflict data, deterministic for a seed, loaded by COPY.

Synthetic records are benchmark data, never facts. Every slug starts with `synthetic-`, every source's title
says "(not real data)", every description, summary and statement says "synthetic", and the names are made
up ("Kalumbar Brigade", "Region 7 of SYR"); only the country codes are real. They are never written to
fixtures/ and never touch the curated records, which may share the database.

They are loaded without history: the pghistory insert and delete triggers of every tracked model are
ignored (`pgtrigger.ignore`) while synthetic rows are written or removed, so that a million events do not
write a million version rows. The search trigger is plain SQL, not pgtrigger, and still fills
`search_names` and `search_text`. The triggers that keep each event's claim summary are paused
(`events.summary.triggers_paused`): each event row is written with its summary, from the same random
streams as its claims and relations, instead of a million events being updated again after their claims.

Speed comes from COPY, one stream per table, in one transaction. Ids are written explicitly, above the
largest id in use, and each table's identity sequence is moved past them afterwards (the tables are
locked against other writers meanwhile), so that foreign keys need no reading back. Memory stays bounded:
events are made in blocks, each block drawing from its own random streams seeded by (seed, stream,
block), so the events, their actors, their claims and the claims' relations can each be streamed into
their own COPY by deriving the block again rather than keeping millions of rows. A load at least as large
as what the tables hold drops their secondary indexes and foreign keys first and builds them again before
committing (`indexes_rebuilt`): much faster than maintaining trigram indexes row by row.
"""

import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

import pgtrigger
from django.db import connection, models, transaction
from django.utils import timezone

from conflictdb.models import DatePrecision
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.summary import REFRESH, triggers_paused
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
from sources.models import Source, SourceKind

PREFIX = "synthetic-"
BLOCK = 1000  # events derived together from one set of random streams
TRACKED = (Source, Actor, Place, Event, EventActor, Claim, ClaimRelation)  # in loading order
PUBLIC = (Source, Actor, Place, Event, Claim)  # the models with slugs
FIRST_DAY = date(2010, 1, 1).toordinal()
LAST_DAY = date(2025, 12, 31).toordinal()


class SyntheticDataExists(Exception):
    """Synthetic rows are already in the database (remove them first, or replace them)."""


@dataclass(frozen=True)
class Country:
    """A real ISO 3166-1 alpha-3 code and a rough bounding box (degrees) to scatter places in."""

    code: str
    south: float
    north: float
    west: float
    east: float


# Most frequent first: countries, like places and actors, are picked with a Zipf-like skew.
COUNTRIES = tuple(
    Country(*row)
    for row in (
        ("SYR", 32.3, 37.3, 35.7, 42.4),
        ("UKR", 44.4, 52.4, 22.1, 40.2),
        ("YEM", 12.6, 19.0, 42.5, 53.1),
        ("IRQ", 29.1, 37.4, 38.8, 48.6),
        ("AFG", 29.4, 38.5, 60.5, 74.9),
        ("SDN", 8.7, 22.2, 21.8, 38.6),
        ("MMR", 9.8, 28.5, 92.2, 101.2),
        ("SOM", -1.7, 12.0, 40.9, 51.4),
        ("NGA", 4.3, 13.9, 2.7, 14.7),
        ("COD", -13.5, 5.4, 12.2, 31.3),
        ("MLI", 10.2, 25.0, -12.2, 4.3),
        ("BFA", 9.4, 15.1, -5.5, 2.4),
        ("LBY", 19.5, 33.2, 9.3, 25.2),
        ("PSE", 31.2, 32.6, 34.2, 35.6),
        ("ETH", 3.4, 14.9, 33.0, 48.0),
        ("SSD", 3.5, 12.2, 24.1, 35.9),
        ("PAK", 23.7, 37.1, 60.9, 77.8),
        ("CAF", 2.2, 11.0, 14.4, 27.5),
        ("NER", 11.7, 23.5, 0.2, 16.0),
        ("LBN", 33.1, 34.7, 35.1, 36.6),
        ("ISR", 29.5, 33.3, 34.3, 35.9),
        ("RUS", 43.0, 60.0, 28.0, 60.0),
        ("TUR", 35.8, 42.1, 26.0, 44.8),
        ("COL", -4.2, 12.5, -79.0, -66.9),
        ("MEX", 14.5, 32.7, -117.1, -86.7),
        ("CMR", 1.7, 13.1, 8.5, 16.2),
        ("MOZ", -26.9, -10.5, 30.2, 40.8),
        ("TCD", 7.4, 23.5, 13.5, 24.0),
        ("IRN", 25.1, 39.8, 44.0, 63.3),
        ("KEN", -4.7, 5.0, 33.9, 41.9),
        ("EGY", 22.0, 31.7, 24.7, 36.9),
        ("DZA", 19.0, 37.1, -8.7, 12.0),
        ("PHL", 4.6, 21.1, 116.9, 126.6),
        ("IND", 6.7, 35.5, 68.1, 97.4),
        ("BGD", 20.7, 26.6, 88.0, 92.7),
        ("HTI", 18.0, 20.1, -74.5, -71.6),
        ("VEN", 0.6, 12.2, -73.4, -59.8),
        ("UGA", -1.5, 4.2, 29.6, 35.0),
        ("BDI", -4.5, -2.3, 29.0, 30.9),
        ("AZE", 38.4, 41.9, 44.8, 50.4),
    )
)


class Weighted:
    """Draws one of `values` with the given relative weights."""

    def __init__(self, weighted: dict):
        self.values = list(weighted)
        self.cumulative, total = [], 0.0
        for weight in weighted.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        index = bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


class Skewed(Weighted):
    """Draws an index below `n`, index i with weight 1/(i+1)**s: a few very frequent, a long tail."""

    def __init__(self, n: int, s: float = 1.1):
        super().__init__({i: 1 / (i + 1) ** s for i in range(n)})


EVENT_TYPES = Weighted(
    {
        EventType.EXPLOSIONS_REMOTE_VIOLENCE: 38,
        EventType.BATTLES: 30,
        EventType.VIOLENCE_AGAINST_CIVILIANS: 13,
        EventType.STRATEGIC_DEVELOPMENTS: 9,
        EventType.PROTESTS: 6,
        EventType.RIOTS: 4,
    }
)
# How common each sub-type is within its type (air strikes and shelling far more than chemical weapons).
SUB_TYPES = {
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: Weighted(
        {
            SubEventType.AIR_DRONE_STRIKE: 45,
            SubEventType.SHELLING_ARTILLERY_MISSILE: 35,
            SubEventType.REMOTE_EXPLOSIVE: 12,
            SubEventType.GRENADE: 4,
            SubEventType.SUICIDE_BOMB: 3,
            SubEventType.CHEMICAL_WEAPON: 1,
        }
    ),
    EventType.BATTLES: Weighted(
        {
            SubEventType.ARMED_CLASH: 85,
            SubEventType.GOVERNMENT_REGAINS_TERRITORY: 8,
            SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY: 7,
        }
    ),
    EventType.VIOLENCE_AGAINST_CIVILIANS: Weighted(
        {SubEventType.ATTACK: 80, SubEventType.ABDUCTION: 15, SubEventType.SEXUAL_VIOLENCE: 5}
    ),
    EventType.PROTESTS: Weighted(
        {
            SubEventType.PEACEFUL_PROTEST: 80,
            SubEventType.PROTEST_WITH_INTERVENTION: 15,
            SubEventType.EXCESSIVE_FORCE: 5,
        }
    ),
    EventType.RIOTS: Weighted({SubEventType.VIOLENT_DEMONSTRATION: 60, SubEventType.MOB_VIOLENCE: 40}),
    EventType.STRATEGIC_DEVELOPMENTS: Weighted(
        {
            SubEventType.ARRESTS: 20,
            SubEventType.LOOTING_PROPERTY_DESTRUCTION: 15,
            SubEventType.CHANGE_TO_GROUP_ACTIVITY: 15,
            SubEventType.DISRUPTED_WEAPONS_USE: 15,
            SubEventType.AGREEMENT: 10,
            SubEventType.OTHER: 10,
            SubEventType.HEADQUARTERS_ESTABLISHED: 8,
            SubEventType.NON_VIOLENT_TRANSFER: 7,
        }
    ),
}
DATE_PRECISIONS = Weighted(
    {DatePrecision.DAY: 72, DatePrecision.RANGE: 19, DatePrecision.MONTH: 7, DatePrecision.YEAR: 2}
)
ACTORS_PER_EVENT = Weighted({1: 35, 2: 45, 3: 20})
CLAIMS_PER_EVENT = Weighted({1: 20, 2: 35, 3: 25, 4: 12, 5: 8})  # 2.53 on average
GEO_PRECISIONS = Weighted(
    {
        GeoPrecision.TOWN: 76,
        GeoPrecision.NEAR: 8,
        GeoPrecision.ADMIN1: 8,
        GeoPrecision.EXACT: 5,
        GeoPrecision.COUNTRY: 3,
    }
)
ACTOR_KINDS = Weighted(
    {
        ActorKind.ARMED_GROUP: 34,
        ActorKind.PERSON: 12,
        ActorKind.GOVERNMENT_BODY: 10,
        ActorKind.COLLECTIVE: 10,
        ActorKind.ARMED_FORCE: 6,
        ActorKind.MEDIA: 9,
        ActorKind.NGO: 8,
        ActorKind.COALITION: 3,
        ActorKind.INTERNATIONAL_ORGANISATION: 3,
        ActorKind.OTHER: 5,
    }
)
OBSERVERS = {ActorKind.MEDIA, ActorKind.NGO, ActorKind.INTERNATIONAL_ORGANISATION}
SOURCE_KINDS = Weighted(
    {
        SourceKind.NEWS_ARTICLE: 50,
        SourceKind.OFFICIAL_STATEMENT: 12,
        SourceKind.NGO_REPORT: 10,
        SourceKind.INTERVIEW: 8,
        SourceKind.SOCIAL_MEDIA: 8,
        SourceKind.PRESS_CONFERENCE: 5,
        SourceKind.VIDEO: 5,
        SourceKind.OTHER: 2,
    }
)
LANGUAGES = Weighted({"en": 55, "ar": 15, "fr": 10, "ru": 6, "uk": 5, "es": 5, "": 4})
SELF_REPORT_TYPES = {ClaimType.STRIKE_REPORT, ClaimType.CONTROL, ClaimType.INTENT}
CLAIM_TYPES_OF_PERPETRATOR = Weighted(
    {
        ClaimType.STRIKE_REPORT: 40,
        ClaimType.CASUALTY_COUNT: 15,
        ClaimType.DENIAL: 15,
        ClaimType.INTENT: 10,
        ClaimType.CONTROL: 10,
        ClaimType.OTHER: 10,
    }
)
CLAIM_TYPES_OF_OTHERS = Weighted(
    {
        ClaimType.CASUALTY_COUNT: 40,
        ClaimType.ATTRIBUTION: 15,
        ClaimType.TARGET_IDENTITY: 12,
        ClaimType.ASSESSMENT: 12,
        ClaimType.CONDEMNATION: 10,
        ClaimType.DENIAL: 3,
        ClaimType.OTHER: 8,
    }
)
CASUALTY_UNITS = Weighted({"deaths": 70, "civilian deaths": 15, "injured": 15})
STRIKE_UNITS = Weighted({"strikes": 50, "sorties": 30, "targets hit": 20})
STATUSES = Weighted(
    {
        ClaimStatus.UNVERIFIED: 60,
        ClaimStatus.CORROBORATED: 20,
        ClaimStatus.CONTESTED: 12,
        ClaimStatus.DISCOUNTED: 8,
    }
)
GROUP_SUFFIXES = (
    "Brigade",
    "Front",
    "Movement",
    "Army",
    "Battalion",
    "Forces",
    "Militia",
    "Liberation Front",
)
MEDIA_SUFFIXES = ("Times", "Monitor", "Daily", "News Agency", "Observer", "Network")
NGO_SUFFIXES = ("Human Rights Watch Group", "Observatory", "Relief Committee", "Documentation Centre")
ONSETS = ("b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "w", "y", "z")
VOWELS = ("a", "a", "e", "i", "o", "u", "aa", "ai", "ou")
CODAS = ("", "", "", "n", "r", "l", "m", "d", "b", "sh", "t")


def made_up_word(rng: random.Random) -> str:
    """A pronounceable made-up name of two or three syllables."""
    syllables = 2 if rng.random() < 0.6 else 3
    word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))
    return word.capitalize()


def spellings(name: str, rng: random.Random, n: int) -> list[str]:
    """Up to `n` other spellings of a made-up name, as transliterations vary (Raqa / Raqqa / Ar-Raqqah)."""
    variants = {
        name.replace("k", "q").replace("K", "Q"),
        name.replace("ou", "u").replace("aa", "a"),
        name.replace("u", "ou", 1),
        "Al-" + name,
        name.replace("sh", "ch").replace("Sh", "Ch"),
        name + "h",
    } - {name}
    return rng.sample(sorted(variants), min(n, len(variants)))


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def rng_for(seed: int, stream: str, block: int = 0) -> random.Random:
    # A string seed is hashed with SHA-512: the same streams on every run and platform.
    return random.Random(f"{seed}:{stream}:{block}")


# The world: sources, actors and places (thousands of rows, kept in memory) ---------------------------


@dataclass
class World:
    """The sources, actors and places the events draw on, as rows in COPY column order."""

    sources: list[tuple] = field(default_factory=list)
    actors: list[tuple] = field(default_factory=list)
    places: list[tuple] = field(default_factory=list)
    actor_names: list[str] = field(default_factory=list)
    actor_kinds: list[str] = field(default_factory=list)
    place_names: list[str] = field(default_factory=list)
    place_countries: list[str] = field(default_factory=list)
    # Actors that take part in events, per country most frequent first; and those that observe and report.
    belligerents: dict[str, list[int]] = field(default_factory=dict)
    all_belligerents: list[int] = field(default_factory=list)
    observers: list[int] = field(default_factory=list)


SOURCE_COLUMNS = (
    "slug title kind publisher authors dateline published_on date_precision date_inferred language url notes "
    "reported_in_id"
)
ACTOR_COLUMNS = "slug name kind country parent_id aliases description"
PLACE_COLUMNS = "slug name aliases country admin1 latitude longitude geo_precision"
EVENT_COLUMNS = (
    "slug title summary event_type sub_event_type start_date end_date date_precision place_id part_of_id "
    "fatalities_low fatalities_best fatalities_high claim_count disputed"
)
EVENT_ACTOR_COLUMNS = "event_id actor_id role"
CLAIM_COLUMNS = (
    "slug claim_type claimant_id source_id event_id about_actor_id statement quote value value_low "
    "value_high value_is_lower_bound unit made_on date_precision is_self_report status status_reason"
)
RELATION_COLUMNS = "from_claim_id to_claim_id kind note"


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


class Synthesis:
    """The synthetic dataset of a seed and a size, as row streams for COPY.

    Row streams refer to other rows by id: `ids[model]` is the id before the first row of that model.
    """

    def __init__(self, *, events: int, seed: int, ids: dict[type[models.Model], int]):
        self.events = events
        self.seed = seed
        self.ids = ids
        self.n_places = max(20, events // 50)
        self.n_actors = max(3 * len(COUNTRIES) + 40, events // 100)
        self.n_sources = min(400, max(30, events // 10))
        self.pick_country = Skewed(len(COUNTRIES))
        self.regions = self.make_regions()
        self.pick_region = {code: Skewed(len(regions)) for code, regions in self.regions.items()}
        self.world = self.make_world()
        self.pick_place = Skewed(self.n_places, 1.0)
        self.pick_source = Skewed(self.n_sources, 0.9)
        self.pick_any_belligerent = Skewed(len(self.world.all_belligerents), 1.0)
        self.pick_observer = Skewed(len(self.world.observers), 1.0)
        self.pick_in_country = {
            code: Skewed(len(actors), 1.0) for code, actors in self.world.belligerents.items() if actors
        }

    @property
    def blocks(self) -> range:
        return range((self.events + BLOCK - 1) // BLOCK)

    def id_of(self, model, index: int) -> int:
        """The id of the model's row at 0-based `index` in its stream."""
        return self.ids[model] + index + 1

    # The world ---------------------------------------------------------------------------------------

    def make_regions(self) -> dict[str, list[str]]:
        rng = rng_for(self.seed, "regions")
        return {
            c.code: [f"Region {k} of {c.code}" for k in range(1, rng.randint(4, 14) + 1)] for c in COUNTRIES
        }

    def make_world(self) -> World:
        world = World()
        self.make_sources(world, rng_for(self.seed, "sources"))
        self.make_actors(world, rng_for(self.seed, "actors"))
        self.make_places(world, rng_for(self.seed, "places"))
        return world

    def make_sources(self, world: World, rng: random.Random):
        publishers = [f"Synthetic {made_up_word(rng)} {rng.choice(MEDIA_SUFFIXES)}" for _ in range(30)]
        pick_publisher = Skewed(len(publishers))
        articles = []
        for i in range(self.n_sources):
            kind = SOURCE_KINDS(rng)
            number = i + 1
            published = rng.randint(FIRST_DAY, LAST_DAY) if rng.random() < 0.93 else None
            precision = "" if published is None else Weighted({"day": 90, "month": 10})(rng)
            if precision == DatePrecision.MONTH:
                published = date.fromordinal(published).replace(day=1).toordinal()
            reported_in = None
            if kind != SourceKind.NEWS_ARTICLE and articles and rng.random() < 0.3:
                reported_in = self.id_of(Source, rng.choice(articles))
            if kind == SourceKind.NEWS_ARTICLE:
                articles.append(i)
            authors = [f"Synthetic Author {rng.randint(1, 500)}" for _ in range(rng.choice((0, 0, 1, 1, 2)))]
            world.sources.append(
                (
                    f"{PREFIX}source-{number}",
                    f"Synthetic benchmark source {number} (not real data)",
                    kind,
                    publishers[pick_publisher(rng)] if rng.random() < 0.9 else "",
                    authors,
                    made_up_word(rng) if kind == SourceKind.NEWS_ARTICLE and rng.random() < 0.7 else "",
                    None if published is None else iso(published),
                    precision,
                    precision != "" and rng.random() < 0.03,
                    LANGUAGES(rng),
                    "",  # never an invented URL
                    "Synthetic benchmark data.",
                    reported_in,
                )
            )

    def make_actors(self, world: World, rng: random.Random):
        def add(name, kind, country, parent=None, aliases=()):
            index = len(world.actors)
            world.actors.append(
                (
                    f"{PREFIX}actor-{index + 1}",
                    name,
                    kind,
                    country,
                    None if parent is None else self.id_of(Actor, parent),
                    list(aliases),
                    "Synthetic benchmark actor (not real data).",
                )
            )
            world.actor_names.append(name)
            world.actor_kinds.append(kind)
            if kind in OBSERVERS:
                world.observers.append(index)
            elif kind != ActorKind.STATE:  # a state acts through its forces and bodies
                world.belligerents.setdefault(country, []).append(index)
                world.all_belligerents.append(index)
            return index

        states = {}
        for country in COUNTRIES:  # each country's state and armed force come first: the most active
            code = country.code
            states[code] = add(
                f"Synthetic State of {code}", ActorKind.STATE, code, aliases=[f"{code} (synthetic state)"]
            )
            add(
                f"Synthetic Armed Forces of {code}",
                ActorKind.ARMED_FORCE,
                code,
                states[code],
                [f"{code} Army (synthetic)", f"{code} forces (synthetic)"],
            )
        for _ in range(len(COUNTRIES)):  # someone reports on each country from the start
            name = made_up_word(rng)
            add(f"{name} {rng.choice(MEDIA_SUFFIXES)}", ActorKind.MEDIA, "", aliases=spellings(name, rng, 1))
        while len(world.actors) < self.n_actors:
            kind = ACTOR_KINDS(rng)
            code = COUNTRIES[self.pick_country(rng)].code
            word = made_up_word(rng)
            number = len(world.actors) + 1
            if kind == ActorKind.ARMED_GROUP:
                suffix = rng.choice(GROUP_SUFFIXES)
                name = f"{word} {suffix}"
                aliases = [f"{v} {suffix}" for v in spellings(word, rng, 2)]
                groups = [a for a in world.belligerents.get(code, []) if world.actor_kinds[a] == kind]
                parent = rng.choice(groups) if rng.random() < 0.1 and groups else None  # a faction
                add(name, kind, code, parent, aliases)
            elif kind in (ActorKind.PERSON, ActorKind.GOVERNMENT_BODY, ActorKind.ARMED_FORCE):
                label = {"person": "Person", "government_body": "Ministry", "armed_force": "Unit"}[kind]
                name = f"Synthetic {label} {number} of {code}"
                add(name, kind, code, states[code] if rng.random() < 0.8 else None, [f"{word} ({label})"])
            elif kind == ActorKind.COLLECTIVE:
                label = rng.choice(("Civilians", "Rebels", "Protesters", "Residents"))
                add(f"{label} of {word} (synthetic)", kind, code, aliases=[f"{word} {label.lower()}"])
            elif kind == ActorKind.MEDIA:
                name = f"{word} {rng.choice(MEDIA_SUFFIXES)}"
                add(name, kind, code if rng.random() < 0.5 else "", aliases=spellings(word, rng, 1))
            elif kind == ActorKind.NGO:
                name = f"{word} {rng.choice(NGO_SUFFIXES)}"
                add(name, kind, code if rng.random() < 0.5 else "", aliases=spellings(word, rng, 2))
            else:  # coalitions, international organisations and others: no single country
                label = {"coalition": "Coalition", "international_organisation": "Mission"}.get(kind, "Group")
                add(f"{word} {label} (synthetic)", kind, "", aliases=spellings(word, rng, 2))

    def make_places(self, world: World, rng: random.Random):
        for i in range(self.n_places):
            country = COUNTRIES[self.pick_country(rng)]
            regions = self.regions[country.code]
            name = made_up_word(rng)
            precision = GEO_PRECISIONS(rng)
            if precision == GeoPrecision.COUNTRY:
                latitude, longitude = (country.south + country.north) / 2, (country.west + country.east) / 2
            else:
                latitude = rng.uniform(country.south, country.north)
                longitude = rng.uniform(country.west, country.east)
            digits = 4 if precision == GeoPrecision.EXACT else 2
            world.places.append(
                (
                    f"{PREFIX}place-{i + 1}",
                    name,
                    spellings(name, rng, rng.choice((0, 1, 1, 2))),
                    country.code,
                    regions[self.pick_region[country.code](rng)],
                    f"{latitude:.{digits}f}",
                    f"{longitude:.{digits}f}",
                    precision,
                )
            )
            world.place_names.append(name)
            world.place_countries.append(country.code)

    # Events, derived block by block -------------------------------------------------------------------

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

    # Row streams, in COPY column order ----------------------------------------------------------------

    def source_rows(self) -> Iterable[tuple]:
        return self.world.sources

    def actor_rows(self) -> Iterable[tuple]:
        return self.world.actors

    def place_rows(self) -> Iterable[tuple]:
        return self.world.places

    def event_rows(self) -> Iterator[tuple]:
        """Each event, with the summary of the claims and relations written after it (claim_count,
        disputed), which the triggers that keep it would otherwise write into every event again."""
        world = self.world
        labels = dict(EventType.choices) | dict(SubEventType.choices)
        for block, size in self.block_sizes():
            rng = rng_for(self.seed, "event-texts", block)
            claim_counts = self.claim_counts(block, size)
            disputed = {
                position
                for position, _later, _earlier, kind in self.block_relations(block, size)
                if kind == ClaimRelationKind.CONTRADICTS
            }
            for position, core in enumerate(self.cores(block)):
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
                    None if core.place is None else self.id_of(Place, core.place),
                    None if part_of is None else self.id_of(Event, part_of - 1),
                    low,
                    best,
                    high,
                    claim_counts[position],
                    position in disputed,
                )

    def event_actor_rows(self) -> Iterator[tuple]:
        for block in self.blocks:
            for core in self.cores(block):
                event = self.id_of(Event, core.number - 1)
                for actor, role in core.actors:
                    yield event, self.id_of(Actor, actor), role

    def claim_rows(self) -> Iterator[tuple]:
        world = self.world
        number = 0
        for block, size in self.block_sizes():
            rng = rng_for(self.seed, "claims", block)
            for core, count in zip(self.cores(block), self.claim_counts(block, size), strict=True):
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
            self.id_of(Actor, claimant),
            self.id_of(Source, self.pick_source(rng)),
            self.id_of(Event, core.number - 1),
            None if about is None else self.id_of(Actor, about),
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

    def relation_rows(self) -> Iterator[tuple]:
        first_claim = 0  # index of the block's first claim in the claim stream
        for block, size in self.block_sizes():
            counts = self.claim_counts(block, size)
            firsts = list(accumulate(counts, initial=first_claim))  # each event's first claim
            for position, later, earlier, kind in self.block_relations(block, size):
                yield self.relation(firsts[position], later, earlier, kind)
            first_claim = firsts[-1]

    def relation(self, first_claim: int, later: int, earlier: int, kind: str) -> tuple:
        return (
            self.id_of(Claim, first_claim + later),
            self.id_of(Claim, first_claim + earlier),
            kind,
            "Synthetic relation (benchmark data).",
        )


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


# Loading and removing ----------------------------------------------------------------------------------


@dataclass
class Report:
    """Rows written per table, seconds taken, and what a replaced dataset had."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    rebuilt_indexes: bool = False
    total_seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [f"removed {table}: {n} rows" for table, n in self.removed.items()]
        lines += [f"{table}: {n} rows in {self.seconds[table]:.1f}s" for table, n in self.rows.items()]
        return [*lines, f"total: {sum(self.rows.values())} rows in {self.total_seconds:.1f}s"]


def history_triggers(*operations: str) -> list[str]:
    """The URIs of the pghistory triggers of every tracked model for `operations` ("insert", "delete")."""
    return [f"{model._meta.label}:{operation}_{operation}" for model in TRACKED for operation in operations]


@contextmanager
def without_history(*operations: str):
    """Inside a transaction: a cursor whose writes, COPY included, fire no pghistory trigger of `operations`.

    pgtrigger sets its ignore list (a transaction-local setting) with each statement Django executes; COPY
    bypasses Django's execute wrappers, so the list is set here, by a first statement, and checked.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("without_history() must run inside transaction.atomic()")
    uris = history_triggers(*operations)
    pgids = [trigger.get_pgid(model) for model, trigger in pgtrigger.registered(*uris)]
    with pgtrigger.ignore(*uris), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        ignored = cursor.fetchone()[0] or ""
        missing = [pgid for pgid in pgids if pgid not in ignored]
        if missing:
            raise RuntimeError(f"history triggers would fire: {', '.join(missing)}")
        yield cursor


def tables(models_: Sequence[type[models.Model]] = TRACKED) -> list[str]:
    return [model._meta.db_table for model in models_]


def exists() -> bool:
    """Whether any synthetic row is in the database."""
    return any(model.objects.filter(slug__startswith=PREFIX).exists() for model in PUBLIC)


def last_id(cursor, model) -> int:
    """The largest id the table or its sequence has given out; this load writes ids above it."""
    table = model._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute(
        f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}),"
        f" (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}))"
    )
    return cursor.fetchone()[0]


def copy_rows(cursor, model, columns: str, rows: Iterable[tuple], first_id: int, stamp: str) -> int:
    """COPY `rows` into the model's table with ids after `first_id`; move the sequence past them."""
    table = model._meta.db_table
    stamped = model in PUBLIC
    names = ["id", *columns.split(), *(["created_at", "updated_at"] if stamped else [])]
    tail = (stamp, stamp) if stamped else ()
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for count, row in enumerate(rows, 1):
            copy.write_row((first_id + count, *row, *tail))
    if count:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first_id + count])
    return count


@contextmanager
def indexes_rebuilt(cursor, report: "Report"):
    """Drop the secondary indexes and foreign keys of the loaded tables; create them again on leaving.

    PostgreSQL's advice for populating a database: building an index (a trigram GIN index above all) over
    a million rows at once is several times faster than updating it row by row, and adding a foreign key
    checks every row in one join instead of a query per row. Primary keys and unique constraints stay.
    The indexes and constraints come back exactly as the catalog defined them, in the same transaction.
    """
    names = tables()
    # DDL is refused on a table with pending (deferred) trigger events, e.g. from removing the last load.
    execute(cursor, "SET CONSTRAINTS ALL IMMEDIATE")
    execute(cursor, "SET CONSTRAINTS ALL DEFERRED")
    execute(
        cursor,
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [names],
    )
    foreign_keys = cursor.fetchall()
    execute(
        cursor,
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))"
        " ORDER BY 1",
        [names],
    )
    indexes = cursor.fetchall()
    for table, name, _ in foreign_keys:
        execute(cursor, f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        execute(cursor, f"DROP INDEX {name}")
    yield
    began = time.monotonic()
    execute(cursor, "SET LOCAL maintenance_work_mem = '1GB'")
    for _, definition in indexes:
        execute(cursor, definition)
    report.seconds["indexes"] = time.monotonic() - began
    began = time.monotonic()
    for table, name, definition in foreign_keys:
        execute(cursor, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    report.seconds["foreign keys"] = time.monotonic() - began


def execute(cursor, sql: str, params: Sequence | None = None):
    # pgtrigger.ignore() adds a parameter to every statement, so a literal % must always be doubled.
    cursor.execute(sql if params else sql.replace("%", "%%"), params or [])


def generate(
    *,
    events: int,
    seed: int,
    replace: bool = False,
    rebuild_indexes: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Load a synthetic dataset of `events` events for `seed`, in one transaction, without history.

    Raises SyntheticDataExists when synthetic rows are present, unless `replace` (they are removed first).
    `rebuild_indexes` (by default: when the load at least doubles the events table) drops the secondary
    indexes and foreign keys of the tables loaded and builds them again afterwards (`indexes_rebuilt`).
    """
    if events < 1:
        raise ValueError("the number of events must be at least 1")
    started = time.monotonic()
    report = Report()
    with transaction.atomic(), without_history("insert", "delete") as cursor, triggers_paused(cursor):
        # Other writers wait until the load commits: the ids written here stay free, the sequences right.
        # (The events' claim summaries are written with the events: Synthesis.event_rows.)
        execute(cursor, f"LOCK TABLE {', '.join(tables())} IN SHARE ROW EXCLUSIVE MODE")
        if exists():
            if not replace:
                raise SyntheticDataExists("synthetic data is already loaded; remove or replace it")
            report.removed = delete(cursor)
            for table, count in report.removed.items():
                if progress:
                    progress(f"removed {table}: {count} rows")
        ids = {model: last_id(cursor, model) for model in TRACKED}
        synthesis = Synthesis(events=events, seed=seed, ids=ids)
        if rebuild_indexes is None:
            rebuild_indexes = events >= Event.objects.count()
        report.rebuilt_indexes = rebuild_indexes
        with indexes_rebuilt(cursor, report) if rebuild_indexes else nullcontext():
            load(cursor, synthesis, report, progress)
    # After the commit (VACUUM cannot run in a transaction): statistics for the planner, and the
    # visibility map, without which PostgreSQL cannot answer from an index alone (a bounded count).
    # Inside an outer transaction (a test), ANALYZE alone.
    began = time.monotonic()
    with connection.cursor() as cursor:
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        execute(cursor, f"{vacuum} {', '.join(tables())}")
    report.seconds["vacuum and analyze"] = time.monotonic() - began
    report.total_seconds = time.monotonic() - started
    return report


def load(cursor, synthesis: Synthesis, report: Report, progress: Callable[[str], None] | None = None):
    """COPY each table's rows, in dependency order."""
    stamp = timezone.now().isoformat()
    streams = (
        (Source, SOURCE_COLUMNS, synthesis.source_rows()),
        (Actor, ACTOR_COLUMNS, synthesis.actor_rows()),
        (Place, PLACE_COLUMNS, synthesis.place_rows()),
        (Event, EVENT_COLUMNS, synthesis.event_rows()),
        (EventActor, EVENT_ACTOR_COLUMNS, synthesis.event_actor_rows()),
        (Claim, CLAIM_COLUMNS, synthesis.claim_rows()),
        (ClaimRelation, RELATION_COLUMNS, synthesis.relation_rows()),
    )
    for model, columns, rows in streams:
        table, began = model._meta.db_table, time.monotonic()
        report.rows[table] = copy_rows(cursor, model, columns, rows, synthesis.ids[model], stamp)
        report.seconds[table] = time.monotonic() - began
        if progress:
            progress(f"{table}: {report.rows[table]} rows in {report.seconds[table]:.1f}s")


def delete(cursor) -> dict[str, int]:
    """Delete every synthetic row and its links, in dependency order; the rows deleted per table."""
    synthetic = f"LIKE '{PREFIX}%'"
    claims = f"SELECT id FROM {Claim._meta.db_table} WHERE slug {synthetic}"
    events = f"SELECT id FROM {Event._meta.db_table} WHERE slug {synthetic}"
    statements = (
        (ClaimRelation, f"from_claim_id IN ({claims}) OR to_claim_id IN ({claims})"),
        (Claim, f"slug {synthetic}"),
        (EventActor, f"event_id IN ({events})"),
        (Event, f"slug {synthetic}"),
        (Place, f"slug {synthetic}"),
        (Actor, f"slug {synthetic}"),
        (Source, f"slug {synthetic}"),
    )
    # Other events whose claims a synthetic claim contradicted (written through the API, say): their
    # summary is counted again afterwards, the triggers being paused.
    execute(
        cursor,
        f"SELECT ARRAY(SELECT DISTINCT c.event_id FROM {Claim._meta.db_table} c"
        f" JOIN {ClaimRelation._meta.db_table} r ON c.id IN (r.from_claim_id, r.to_claim_id)"
        f" WHERE c.slug NOT {synthetic} AND c.event_id IS NOT NULL"
        f" AND (r.from_claim_id IN ({claims}) OR r.to_claim_id IN ({claims})))",
    )
    (others,) = cursor.fetchone()
    counts = {}
    for model, condition in statements:
        execute(cursor, f"DELETE FROM {model._meta.db_table} WHERE {condition}")
        counts[model._meta.db_table] = cursor.rowcount
    execute(cursor, f"SELECT {REFRESH}(%s)", [others])
    return counts


def remove() -> dict[str, int]:
    """Delete every synthetic row in one transaction, without history; the rows deleted per table."""
    with transaction.atomic(), without_history("delete") as cursor, triggers_paused(cursor):
        return delete(cursor)
