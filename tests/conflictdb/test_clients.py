"""Real clients read the exports of a live server: GDAL's `ogrinfo` the GeoJSON (it sends
`Accept: text/plain, application/json`, which `format=` overrules), pandas and urllib the CSV, with and
without gzip. gdal-bin is installed by the test's setup where it is missing (tests/debian.py)."""

import csv
import gzip
import io
import re
import subprocess
import urllib.request

import pytest

from events.models import Event
from tests import factories
from tests.debian import debian_command


@pytest.fixture
def events():
    """Three events at places with coordinates, and one without a place."""
    made = [factories.event(place=factories.place(latitude=35.0 + n, longitude=38.0 + n)) for n in range(3)]
    return [*made, factories.event(place=None)]


def test_gdal_reads_the_geojson_export_of_a_live_server(live_server, events):
    ogrinfo = debian_command("ogrinfo", "gdal-bin")
    url = f"{live_server.url}/api/v1/events/?format=geojson"

    read = subprocess.run([ogrinfo, "-ro", "-al", "-q", url], capture_output=True, text=True, timeout=120)

    assert read.returncode == 0, read.stderr
    assert "406" not in read.stderr
    slugs = re.findall(r"^  slug \(String\) = (.+)$", read.stdout, flags=re.MULTILINE)
    assert sorted(slugs) == sorted(event.slug for event in events)
    assert len(re.findall(r"^  POINT \(", read.stdout, flags=re.MULTILINE)) == 3


def test_gdal_reads_a_filtered_export(live_server, events):
    ogrinfo = debian_command("ogrinfo", "gdal-bin")
    url = f"{live_server.url}/api/v1/events/?format=geojson&place={events[0].place.slug}"

    read = subprocess.run([ogrinfo, "-ro", "-al", "-so", url], capture_output=True, text=True, timeout=120)

    assert read.returncode == 0, read.stderr
    assert "Feature Count: 1" in read.stdout
    assert "Geometry: Point" in read.stdout


@pytest.mark.parametrize("compressed", [False, True], ids=["identity", "gzip"])
def test_pandas_reads_the_csv_export_of_a_live_server(live_server, events, compressed):
    pandas = pytest.importorskip("pandas", reason="pandas is in requirements.txt: run make install")
    headers = {"Accept-Encoding": "gzip"} if compressed else {}

    frame = pandas.read_csv(f"{live_server.url}/api/v1/events/?format=csv", storage_options=headers)

    assert sorted(frame["slug"]) == sorted(Event.objects.values_list("slug", flat=True))
    assert frame["latitude"].notna().sum() == 3
    assert set(frame["disputed"]) == {False}


def test_urllib_reads_the_csv_export_as_utf_8_text(live_server, events):
    factories.event(title="Frappes aériennes près d'Idleb")  # a name beyond ASCII
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/events/?format=csv", headers={"Accept": "text/plain, application/json"}
    )

    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert answer.headers.get("Content-Encoding") is None  # urllib asked for no coding
        text = answer.read().decode(answer.headers.get_content_charset())

    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["slug"] for row in rows) == sorted(Event.objects.values_list("slug", flat=True))
    assert "Frappes aériennes près d'Idleb" in [row["title"] for row in rows]


def test_urllib_reads_a_compressed_json_page(live_server, events):
    request = urllib.request.Request(f"{live_server.url}/api/v1/events/", headers={"Accept-Encoding": "gzip"})

    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(answer.read())

    assert b'"count":4' in body
