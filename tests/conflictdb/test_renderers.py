"""Lists whose records PostgreSQL writes as JSON text reach the client as valid JSON, in every form."""

import json

import pytest

from conflictdb.renderers import JSONRenderer, JSONRows
from tests import factories

pytestmark = pytest.mark.django_db

# Characters PostgreSQL leaves as they are in JSON text: non-ASCII letters, quotes, a backslash, a
# control character, and the two line separators that JavaScript does not allow in a string.
AWKWARD = 'Ḥalab "old city" \\ tab\tline\u2028paragraph\u2029end'


def test_a_listed_record_keeps_every_character_and_escapes_what_javascript_refuses(api):
    factories.event(slug="awkward", title=AWKWARD)

    response = api.get("/api/v1/events/")

    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == AWKWARD
    assert "\u2028" not in response.content.decode() and "\u2029" not in response.content.decode()
    assert "\\u2028" in response.content.decode()


def test_indented_json_and_the_browsable_api_show_the_same_records(api):
    factories.event(slug="awkward", title=AWKWARD)
    compact = api.get("/api/v1/events/").json()

    indented = api.get("/api/v1/events/", HTTP_ACCEPT="application/json; indent=2")
    browsable = api.get("/api/v1/events/", HTTP_ACCEPT="text/html")

    assert indented.content.decode().startswith('{\n  "count": 1')
    assert json.loads(indented.content) == compact
    assert browsable.status_code == 200
    assert "&quot;awkward&quot;" in browsable.content.decode()


def test_rows_are_spliced_after_the_other_keys_or_alone():
    rows = JSONRows(['{"a" : 1}', '{"b" : [2, 3]}'])
    renderer = JSONRenderer()

    paged = renderer.render({"count": 2, "next": None, "results": rows})
    alone = renderer.render({"results": rows})
    empty = renderer.render({"count": 0, "results": JSONRows()})

    assert json.loads(paged) == {"count": 2, "next": None, "results": [{"a": 1}, {"b": [2, 3]}]}
    assert list(json.loads(paged)) == ["count", "next", "results"]
    assert json.loads(alone) == {"results": [{"a": 1}, {"b": [2, 3]}]}
    assert json.loads(empty) == {"count": 0, "results": []}
