"""The explorer's map: marks of the matching events, placed in the coordinates of the countries'
outlines (x = longitude + 180, y = 90 - latitude, one unit a degree: frontend/build.mjs), drawn as SVG
by the template.

A mark stands for the events of one event type at one place, sized by their fatalities (best). Where a
place is known only to its province or country (geo_precision admin1 or country), its mark is a ring,
not a dot: the point is the area's, not the event's. A large selection is counted per grid cell (a
million points would say less and weigh more): the events in a cell, exact places and areas apart, at
the cell's centre, coloured by the type of most of them; the cells grow (1°, 2°, 4°...) until there are
at most PLACES_AT_MOST.
"""

from collections import Counter
from dataclasses import dataclass, field
from math import ceil, floor, log2, sqrt

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q, Sum

from events.models import Place
from events.vocabularies import EventType, GeoPrecision

AREAS = [GeoPrecision.ADMIN1, GeoPrecision.COUNTRY]
PLACES_AT_MOST = 1500  # marks of places; beyond, grid cells
EVENTS_PER_PLACE_AT_MOST = 20_000  # a selection this large is counted per cell from the start
CELL_DEGREES = 1.0
WIDTH, HEIGHT = 800, 400  # the SVG's size in pixels: a mark's radius is in pixels too
RADIUS_LEAST, RADIUS_MOST = 3.0, 16.0
TILE_PIXELS = 256  # a tile's width: tiles are chosen no coarser than the map's pixels
TYPE_LABELS = dict(EventType.choices)


@dataclass
class Mark:
    x: float
    y: float
    event_type: str
    area: bool
    events: int
    fatalities: int | None
    name: str
    selects: dict  # the filters that select the mark's events, beside the page's
    radius: float = RADIUS_LEAST
    href: str = ""
    types: str = ""  # a cell's events by type, when it has several

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.event_type, self.event_type)

    @property
    def described(self) -> str:
        events = f"{self.events} event{'s' if self.events != 1 else ''}"
        fatalities = (
            "no fatality figure" if self.fatalities is None else f"{self.fatalities} fatalities (best)"
        )
        known = ", places known only to their province or country" if self.area else ""
        what = f"({self.types})" if self.types else f"of {self.type_label}"
        return f"{self.name}: {events} {what}, {fatalities}{known}"


@dataclass
class Map:
    marks: list[Mark]
    view_box: str
    gridded: bool
    cell: float = 0  # the grid's cell, in degrees, when gridded
    width: int = WIDTH
    height: int = HEIGHT
    tiles: list = field(default_factory=list)  # of Tile, under the outlines (EXPLORER_TILE_URL)
    attribution: str = ""


@dataclass
class Tile:
    href: str
    x: float
    y: float
    size: float  # degrees, as x and y


def tiles(view_box: str, url: str, max_zoom: int) -> list[Tile]:
    """The tiles of `url` that cover `view_box`, at the coarsest zoom whose pixels are no larger than the
    map's. The tiling is WorldCRS84Quad's: at zoom z, 2^(z+1) columns from 180°W eastwards and 2^z rows
    from 90°N southwards, each tile 180/2^z degrees square: the map's own coordinates, scaled."""
    left, top, width, height = (float(number) for number in view_box.split())
    zoom = min(max_zoom, max(0, ceil(log2(WIDTH * 180 / (TILE_PIXELS * width)))))
    size = 180 / 2**zoom
    columns = range(max(0, floor(left / size)), min(2 ** (zoom + 1), ceil((left + width) / size)))
    rows = range(max(0, floor(top / size)), min(2**zoom, ceil((top + height) / size)))
    return [
        Tile(
            href=url.replace("{z}", str(zoom)).replace("{x}", str(column)).replace("{y}", str(row)),
            x=round(column * size, 6),
            y=round(row * size, 6),
            size=round(size, 6),
        )
        for row in rows
        for column in columns
    ]


def by_place(events) -> list[Mark]:
    rows = (
        events.filter(place__isnull=False)
        .values("place__slug", "place__name", "place__latitude", "place__longitude", "event_type")
        .annotate(
            events=Count("id"),
            fatalities=Sum("fatalities_best"),
            area=Count("id", filter=Q(place__geo_precision__in=AREAS)),
        )
        .order_by("place__slug", "event_type")[: PLACES_AT_MOST + 1]
    )
    return [
        Mark(
            x=float(row["place__longitude"]) + 180,
            y=90 - float(row["place__latitude"]),
            event_type=row["event_type"],
            area=row["area"] > 0,
            events=row["events"],
            fatalities=row["fatalities"],
            name=row["place__name"],
            selects={"place": row["place__slug"], "event_type": row["event_type"]},
        )
        for row in rows
    ]


# The events of each place and type first, from the events alone; then those groups, far fewer than the
# events, by cell of their places (joining a million events to their places cost twice as much).
CELLS_SQL = f"""
SELECT floor(place.latitude / %s)::int AS row, floor(place.longitude / %s)::int AS col, per_place.event_type,
       place.geo_precision IN ({", ".join(f"'{area.value}'" for area in AREAS)}) AS area,
       sum(per_place.events) AS events, sum(per_place.fatalities) AS fatalities
FROM ({{per_place}}) AS per_place JOIN {Place._meta.db_table} AS place ON place.id = per_place.place_id
GROUP BY 1, 2, 3, 4
"""


def cell_rows(events) -> list[tuple]:
    """(row, column, event type, area, events, fatalities) per cell of CELL_DEGREES, from the database."""
    per_place = (
        events.filter(place__isnull=False)
        .order_by()
        .values("place_id", "event_type")
        .annotate(events=Count("*"), fatalities=Sum("fatalities_best"))  # count(*): no id read
    )
    sql, params = per_place.query.sql_with_params()
    with connections[events.db].cursor() as cursor:
        cursor.execute(CELLS_SQL.format(per_place=sql), [CELL_DEGREES, CELL_DEGREES, *params])
        return cursor.fetchall()


def by_cell(events) -> tuple[list[Mark], float]:
    """A mark per cell (exact places and areas apart) of the finest grid, from CELL_DEGREES doubling,
    that needs at most PLACES_AT_MOST of them, coloured by the type of most of its events."""
    rows, size = cell_rows(events), CELL_DEGREES

    def cell_of(row, column, area):
        return floor(row * CELL_DEGREES / size), floor(column * CELL_DEGREES / size), area

    # The grid first, from the finest cells alone (far fewer than the rows, which hold a type each).
    finest = {(row, column, area) for row, column, _type, area, _events, _fatalities in rows}
    while len({cell_of(*cell) for cell in finest}) > PLACES_AT_MOST and size < 64:
        size *= 2
    cells = {}
    for row, column, event_type, area, events_in, fatalities in rows:
        cell = cells.setdefault(cell_of(row, column, area), {"types": Counter(), "fatalities": None})
        cell["types"][event_type] += int(events_in)
        if fatalities is not None:
            cell["fatalities"] = (cell["fatalities"] or 0) + int(fatalities)
    marks = []
    for (row, column, area), cell in sorted(cells.items()):
        south, west = row * size, column * size
        north, east = south + size, west + size
        types = cell["types"].most_common()
        mark = Mark(
            x=west + size / 2 + 180,
            y=90 - (south + size / 2),
            event_type=types[0][0],
            area=area,
            events=sum(count for _, count in types),
            fatalities=cell["fatalities"],
            name=f"{size:g}° cell {south:g}..{north:g}°N, {west:g}..{east:g}°E",
            selects={"bbox": f"{west:g},{south:g},{east:g},{north:g}"},
        )
        mark.types = ", ".join(f"{TYPE_LABELS.get(name, name)} {count}" for name, count in types)
        marks.append(mark)
    return marks, size


def view_box(marks: list[Mark]) -> str:
    """The part of the world that holds the marks, with a margin, at the map's 2:1 proportions."""
    if not marks:
        return "0 0 360 180"
    xs, ys = [mark.x for mark in marks], [mark.y for mark in marks]
    width = max(max(xs) - min(xs), (max(ys) - min(ys)) * 2, 8) * 1.3
    width = min(width, 360)
    height = width / 2
    left = min(max((max(xs) + min(xs)) / 2 - width / 2, 0), 360 - width)
    top = min(max((max(ys) + min(ys)) / 2 - height / 2, 0), 180 - height)
    return f"{left:.3f} {top:.3f} {width:.3f} {height:.3f}"


def event_map(events, count: int, query) -> Map:
    """The map of `events` (a filtered queryset of Event, by the filters of `query`, a QueryDict), of
    which there are about `count`."""
    gridded = count > EVENTS_PER_PLACE_AT_MOST
    marks = [] if gridded else by_place(events)
    if len(marks) > PLACES_AT_MOST:
        gridded, marks = True, []
    cell = 0
    if gridded:
        marks, cell = by_cell(events)
    box = view_box(marks)
    units_per_pixel = float(box.split()[2]) / WIDTH
    most = max((mark.fatalities or 0 for mark in marks), default=0) or 1
    for mark in marks:
        share = sqrt((mark.fatalities or 0) / most)
        mark.radius = round((RADIUS_LEAST + (RADIUS_MOST - RADIUS_LEAST) * share) * units_per_pixel, 4)
        mark.x, mark.y = round(mark.x, 4), round(mark.y, 4)
        selection = query.copy()
        selection.pop("cursor", None)
        for name, value in mark.selects.items():
            selection[name] = value
        mark.href = selection.urlencode()
    # Larger marks first, so that the smaller stay visible and reachable on top of them.
    marks.sort(key=lambda mark: -mark.radius)
    drawn = Map(marks=marks, view_box=box, gridded=gridded, cell=cell)
    if settings.EXPLORER_TILE_URL:
        drawn.tiles = tiles(box, settings.EXPLORER_TILE_URL, settings.EXPLORER_TILE_MAX_ZOOM)
        drawn.attribution = settings.EXPLORER_TILE_ATTRIBUTION
    return drawn
