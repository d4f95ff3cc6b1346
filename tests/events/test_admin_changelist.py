"""The curators' admin on records each test writes itself, on an empty database: the event list's columns,
its cost in queries (fixed, and never a count of the whole table), and a posted slug that changes nothing.
(Its pages on the curated dataset: test_admin.py.)"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conflictdb import counting
from events.models import Event
from tests import factories
from tests.events.test_admin import admin_url, listed

pytestmark = pytest.mark.django_db


def cell(html: str, column: str) -> str:
    (content,) = re.findall(rf'<td class="field-{column}">(.*?)</td>', html, re.S)
    return content.strip()


def test_event_changelist_shows_perpetrators_claims_and_disputed(admin_client):
    event = factories.documented_event(claims=3)
    perpetrator = event.event_actors.get(role="perpetrator").actor

    response = admin_client.get(admin_url(Event))

    html = response.content.decode()
    for header in ("Perpetrators", "Claims", "Disputed"):
        assert f">{header}</a>" in html or f">{header}</span>" in html
    assert cell(html, "perpetrators") == perpetrator.name
    assert cell(html, "claims") == "3"
    assert 'alt="True"' in cell(html, "disputed")


def test_an_undisputed_event_without_claims(admin_client):
    factories.event()

    html = admin_client.get(admin_url(Event)).content.decode()

    assert (cell(html, "perpetrators"), cell(html, "claims")) == ("-", "0")
    assert 'alt="False"' in cell(html, "disputed")


def test_a_posted_slug_does_not_change_a_record(admin_client):
    actor = factories.actor(slug="islamic-state")

    factories.edit_in_admin(admin_client, actor, slug="daesh", name="IS")

    actor.refresh_from_db()
    assert (actor.slug, actor.name) == ("islamic-state", "IS")


# Cost of the event list -----------------------------------------------------------------------------

# Session, user, countries for the filter, the planner's estimate, the bounded count, the page of events
# (with place and claim summary), their actors in roles with those actors.
EVENT_CHANGELIST_QUERIES = 7


@pytest.mark.parametrize("events", [3, 30])
def test_event_changelist_queries_do_not_grow_with_events(admin_client, django_assert_num_queries, events):
    for _ in range(events):
        factories.documented_event(claims=2)

    with django_assert_num_queries(EVENT_CHANGELIST_QUERIES):
        response = admin_client.get(admin_url(Event))

    assert len(listed(response)) == events


def test_event_changelist_never_counts_the_whole_table(admin_client, monkeypatch):
    for _ in range(20):
        factories.event()
    monkeypatch.setattr(counting, "EXACT_LIMIT", 5)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Event))

    assert len(listed(response)) == 20
    sqls = [query["sql"] for query in queries]
    assert any("EXPLAIN" in sql for sql in sqls), "the paginator should ask the planner first"
    counts = [sql for sql in sqls if sql.startswith("SELECT COUNT(*)")]
    assert all(re.search(r"LIMIT 6\b", sql) for sql in counts), counts  # never the whole table
    assert response.context["cl"].result_count > 5  # the planner's estimate, at least limit + 1
