"""The explorer's map: marks of the matching events, placed in the coordinates of the countries'
outlines (x = longitude + 180, y = 90 - latitude, one unit a degree: frontend/build.mjs), drawn as SVG
by the template.

A mark stands for the events of one event type at one place, sized by their fatalities (best). Where a
place is known only to its province or country (geo_precision admin1 or country), its mark is a ring,
not a dot: the point is the area's, not the event's. A large selection is counted per grid cell (a
million points would say less and weigh more): the events of a type in a cell, exact places and areas
apart, at the cell's centre.
"""

from dataclasses import dataclass
from math import sqrt

from django.db.models import Count, FloatField, Func, Q, Sum
from django.db.models.functions import Cast

from events.vocabularies import EventType, GeoPrecision

AREAS = [GeoPrecision.ADMIN1, GeoPrecision.COUNTRY]
PLACES_AT_MOST = 1500  # marks of places; beyond, grid cells
EVENTS_PER_PLACE_AT_MOST = 20_000  # a selection this large is counted per cell from the start
CELL_DEGREES = 1.0
WIDTH, HEIGHT = 800, 400  # the SVG's size in pixels: a mark's radius is in pixels too
RADIUS_LEAST, RADIUS_MOST = 3.0, 16.0
TYPE_LABELS = dict(EventType.choices)


class Floor(Func):
    function = "FLOOR"
    output_field = FloatField()


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

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.event_type, self.event_type)

    @property
    def described(self) -> str:
        events = f"{self.events} event{'s' if self.events != 1 else ''}"
        fatalities = (
            "no fatality figure" if self.fatalities is None else f"{self.fatalities} fatalities (best)"
        )
        known = ", place known only to its province or country" if self.area else ""
        return f"{self.name}: {events} of {self.type_label}, {fatalities}{known}"


@dataclass
class Map:
    marks: list[Mark]
    view_box: str
    gridded: bool
    width: int = WIDTH
    height: int = HEIGHT


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


def by_cell(events) -> list[Mark]:
    latitude, longitude = Cast("place__latitude", FloatField()), Cast("place__longitude", FloatField())
    rows = (
        events.filter(place__isnull=False)
        .annotate(
            row=Floor(latitude / CELL_DEGREES),
            column=Floor(longitude / CELL_DEGREES),
            area=Q(place__geo_precision__in=AREAS),
        )
        .values("row", "column", "event_type", "area")
        .annotate(events=Count("id"), fatalities=Sum("fatalities_best"))
        .order_by("row", "column", "event_type", "area")
    )
    marks = []
    for row in rows:
        south, west = row["row"] * CELL_DEGREES, row["column"] * CELL_DEGREES
        north, east = south + CELL_DEGREES, west + CELL_DEGREES
        marks.append(
            Mark(
                x=west + CELL_DEGREES / 2 + 180,
                y=90 - (south + CELL_DEGREES / 2),
                event_type=row["event_type"],
                area=row["area"],
                events=row["events"],
                fatalities=row["fatalities"],
                name=f"{CELL_DEGREES:g}° cell {south:g}..{north:g}°N, {west:g}..{east:g}°E",
                selects={"bbox": f"{west:g},{south:g},{east:g},{north:g}", "event_type": row["event_type"]},
            )
        )
    return marks


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
    if gridded:
        marks = by_cell(events)
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
    return Map(marks=marks, view_box=box, gridded=gridded)
