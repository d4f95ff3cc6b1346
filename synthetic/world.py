"""The made-up world the synthetic events happen in: sources, actors and places (thousands of rows).

Names are made up ("Kalumbar Brigade", "Region 7 of SYR"), only the country codes are real. The world is
small enough to keep in memory: its rows are made once, in COPY column order, and the events draw on them
by index.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from conflictdb.models import DatePrecision
from events.models import Actor
from events.vocabularies import ActorKind, GeoPrecision
from sources.models import Source, SourceKind
from synthetic.frequencies import ACTOR_KINDS, GEO_PRECISIONS, LANGUAGES, OBSERVERS, SOURCE_KINDS
from synthetic.ids import Ids
from synthetic.names import GROUP_SUFFIXES, MEDIA_SUFFIXES, NGO_SUFFIXES, made_up_word, spellings
from synthetic.randomness import FIRST_DAY, LAST_DAY, Skewed, Weighted, iso, rng_for


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


def make_world(*, events: int, seed: int, ids: Ids) -> World:
    """The world of a dataset of `events` events: it grows with the events, more slowly."""
    return WorldMaker(events=events, seed=seed, ids=ids).make()


class WorldMaker:
    """Makes the sources, actors and places of a world, each from its own random stream."""

    def __init__(self, *, events: int, seed: int, ids: Ids):
        self.seed = seed
        self.ids = ids
        self.n_places = max(20, events // 50)
        self.n_actors = max(3 * len(COUNTRIES) + 40, events // 100)
        self.n_sources = min(400, max(30, events // 10))
        self.pick_country = Skewed(len(COUNTRIES))
        self.regions = self.make_regions()
        self.pick_region = {code: Skewed(len(regions)) for code, regions in self.regions.items()}

    def make(self) -> World:
        world = World()
        self.make_sources(world, rng_for(self.seed, "sources"))
        self.make_actors(world, rng_for(self.seed, "actors"))
        self.make_places(world, rng_for(self.seed, "places"))
        return world

    def make_regions(self) -> dict[str, list[str]]:
        rng = rng_for(self.seed, "regions")
        return {
            c.code: [f"Region {k} of {c.code}" for k in range(1, rng.randint(4, 14) + 1)] for c in COUNTRIES
        }

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
                reported_in = self.ids.of(Source, rng.choice(articles))
            if kind == SourceKind.NEWS_ARTICLE:
                articles.append(i)
            authors = [f"Synthetic Author {rng.randint(1, 500)}" for _ in range(rng.choice((0, 0, 1, 1, 2)))]
            world.sources.append(
                (
                    f"{PREFIX}source-{number}",
                    kind,
                    f"Synthetic benchmark source {number} (not real data)",
                    publishers[pick_publisher(rng)] if rng.random() < 0.9 else "",
                    authors,
                    made_up_word(rng) if kind == SourceKind.NEWS_ARTICLE and rng.random() < 0.7 else "",
                    None if published is None else iso(published),
                    precision,
                    precision != "" and rng.random() < 0.03,
                    LANGUAGES(rng),
                    "",  # never an invented URL
                    reported_in,
                    "Synthetic benchmark data.",
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
                    None if parent is None else self.ids.of(Actor, parent),
                    list(aliases),
                    "Synthetic benchmark actor (not real data).",
                    "",
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
