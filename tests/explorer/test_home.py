"""`/`: the API's filters as a form, the list paged by the API's cursors, the map and the timeline."""

import re
from html import unescape

import pytest

from events.models import Event
from events.vocabularies import GeoPrecision
from explorer.map import tiles


def page(client, query=""):
    response = client.get(f"/{query}")
    assert response.status_code == 200, response.content[:800]
    return unescape(response.content.decode())


def listed(html: str) -> list[str]:
    return re.findall(r'<li class="event-item"><a href="/events/([^/]+)/">', html)


def marks(html: str) -> list[str]:
    """The classes of the map's marks (each a link to its events; the legend's are not)."""
    return re.findall(r'</title><circle class="mark (type-[a-z_]+(?: area)?)" cx=', html)


def test_the_list_holds_the_events_the_api_lists(client, curated, api):
    for query in ("", "?country=SYR&event_type=explosions_remote_violence", "?disputed=true", "?search=Hama"):
        expected = [event["slug"] for event in api.get(f"/api/v1/events/{query}").json()["results"]]
        assert listed(page(client, query)) == expected, query
        assert expected or query == ""


def test_the_list_is_paged_by_the_apis_cursor(client, curated, api):
    first = page(client, "?page_size=5")
    assert len(listed(first)) == 5
    following = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert "cursor=" in following
    second = page(client, following)
    api_second = api.get(f"/api/v1/events/{following}").json()["results"]
    assert listed(second) == [event["slug"] for event in api_second]
    assert not set(listed(first)) & set(listed(second))


def test_the_filters_are_the_page_address_and_fill_the_form(client, curated):
    html = page(client, "?country=SYR&event_type=battles&period=year")
    assert '<input id="f-country" name="country" value="SYR"' in html
    assert '<option value="battles" selected>' in html
    assert '<option value="year" selected>' in html


def test_links_give_the_same_selection_from_the_api(client, curated):
    html = page(client, "?country=SYR&disputed=true")
    for suffix in ("", "&format=csv", "&format=geojson", "&format=acled"):
        assert f'href="/api/v1/events/?country=SYR&disputed=true{suffix}"'.replace("&", "&amp;") in (
            response := client.get("/?country=SYR&disputed=true").content.decode()
        ), suffix
    assert "JSON" in html and "ACLED CSV" in html and response


def test_empty_fields_of_the_form_filter_nothing(client, curated):
    assert listed(page(client, "?country=&event_type=&search=&period=")) == listed(page(client))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("?country=XX1", "country"), ("?period=decade", "period"), ("?colour=red", "colour")],
)
def test_bad_filters_are_a_400_page_naming_the_parameter(client, curated, query, parameter):
    response = client.get(f"/{query}")
    assert response.status_code == 400
    assert f"<code>{parameter}</code>" in response.content.decode()


def test_the_map_has_a_mark_per_place_and_type_and_rings_for_areas(client, curated):
    html = page(client)
    drawn = marks(html)
    places = Event.objects.filter(place__isnull=False).values("place", "event_type").distinct().count()
    assert len(drawn) == places
    areas = (
        Event.objects.filter(place__geo_precision__in=[GeoPrecision.ADMIN1, GeoPrecision.COUNTRY])
        .values("place", "event_type")
        .distinct()
        .count()
    )
    assert areas and sum(mark.endswith(" area") for mark in drawn) == areas
    assert "Known only to its province or country" in html  # the legend says what a ring is
    assert html.count("<title>") >= len(drawn) + 2  # every mark, the map and the timeline have a text


def test_the_map_and_timeline_follow_the_filters(client, curated):
    everything, battles = page(client), page(client, "?event_type=strategic_developments")
    assert len(marks(battles)) < len(marks(everything))
    assert set(marks(battles)) <= {"type-strategic_developments", "type-strategic_developments area"}
    assert timeline_rows(battles) != timeline_rows(everything)


def timeline_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td>', html)


def test_the_timeline_counts_what_the_aggregate_counts_and_keeps_imprecise_events_apart(client, curated, api):
    html = page(client, "?period=month")
    aggregate = api.get("/api/v1/events/aggregate/?group_by=month").json()
    rows = dict(timeline_rows(html))
    for row in aggregate["results"]:
        assert rows[row["month"]] == str(row["events"])
    imprecise = sum(row["events"] for row in aggregate["imprecise"])
    assert imprecise and rows["wider than a month"] == str(imprecise)
    # The months between are there, empty: a gap in time is a gap in the bars.
    assert rows["2015-01"] == "0"


def test_a_large_selection_is_counted_per_cell(client, curated, monkeypatch):
    monkeypatch.setattr("explorer.map.EVENTS_PER_PLACE_AT_MOST", 1)
    html = page(client)
    size = float(re.search(r"Counted per ([\d.]+)° cell", html).group(1))
    cells = re.findall(r'href="\?bbox=([-\d.]+)%2C([-\d.]+)%2C([-\d.]+)%2C([-\d.]+)', html)
    assert cells and size == 1
    for west, south, east, north in cells:
        assert float(east) - float(west) == size and float(north) - float(south) == size
    # Each cell's events, counted from the places in it.
    drawn = sum(int(n) for n in re.findall(r"<title>[^<]*° cell [^:]+: (\d+) events? ", html))
    assert drawn == Event.objects.filter(place__isnull=False).count()


def test_cells_grow_until_there_are_few_enough(client, curated, monkeypatch):
    monkeypatch.setattr("explorer.map.EVENTS_PER_PLACE_AT_MOST", 1)
    monkeypatch.setattr("explorer.map.PLACES_AT_MOST", 2)
    html = page(client)
    size = float(re.search(r"Counted per ([\d.]+)° cell", html).group(1))
    assert size > 1 and len(marks(html)) <= 2


def test_no_tile_is_asked_for_by_default(client, curated):
    response = client.get("/")
    assert "<image" not in response.content.decode()
    assert re.search(r"img-src 'self'(;|$)", response["Content-Security-Policy"])


def test_tiles_are_those_of_the_worldcrs84quad_tiling_that_cover_the_view():
    # The whole world, 800 pixels wide: zoom 1 (tiles of 90°, 4 by 2), 256 pixels for 90° >= 800 for 360°.
    world = tiles("0 0 360 180", "https://t.example.org/{z}/{y}/{x}.png", max_zoom=8)
    expected = [(x * 90.0, y * 90.0, 90.0) for y in (0, 1) for x in range(4)]
    assert [(t.x, t.y, t.size) for t in world] == expected
    assert world[5].href == "https://t.example.org/1/1/1.png"
    # Syria, 16° wide: zoom 6 (2.8125° tiles), clamped by the provider's deepest zoom when it is less.
    syria = tiles("215 52 16 8", "{z}-{x}-{y}", max_zoom=8)
    assert {t.size for t in syria} == {180 / 2**6}
    assert min(t.x for t in syria) <= 215 and max(t.x + t.size for t in syria) >= 231
    assert min(t.y for t in syria) <= 52 and max(t.y + t.size for t in syria) >= 60
    assert {t.size for t in tiles("215 52 16 8", "{z}-{x}-{y}", max_zoom=3)} == {22.5}


def test_with_a_tile_url_the_map_draws_its_tiles_credits_them_and_the_policy_allows_them(
    client, curated, settings
):
    settings.EXPLORER_TILE_URL = "https://tiles.example.org/wmts/{z}/{y}/{x}.png"
    settings.EXPLORER_TILE_ATTRIBUTION = "Imagery: Example Tiles"
    response = client.get("/?country=SYR")
    html = unescape(response.content.decode())
    view_box = re.search(r'<svg id="map" viewBox="([^"]+)"', html).group(1)
    left, top, width, height = map(float, view_box.split())
    drawn = [
        (int(z), int(row), int(column), float(x), float(y), float(size))
        for z, row, column, x, y, size in re.findall(
            r'<image href="https://tiles\.example\.org/wmts/(\d+)/(\d+)/(\d+)\.png" x="([^"]+)" y="([^"]+)" '
            r'width="([^"]+)"',
            html,
        )
    ]
    assert drawn and len({z for z, *_ in drawn}) == 1
    for z, row, column, x, y, size in drawn:  # each tile where its column and row say
        assert (x, y, size) == pytest.approx((column * 180 / 2**z, row * 180 / 2**z, 180 / 2**z))
    assert min(x for *_, x, _y, _s in drawn) <= left
    assert max(x + s for *_, x, _y, s in drawn) >= min(left + width, 360)
    assert min(y for *_, y, _s in drawn) <= top
    assert max(y + s for *_, y, s in drawn) >= min(top + height, 180)
    assert "Imagery: Example Tiles" in html
    assert "img-src 'self' https://tiles.example.org" in response["Content-Security-Policy"]
