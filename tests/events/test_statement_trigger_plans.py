"""The statement triggers' queries over their transition tables stay linear in the rows a statement
wrote, however small the statement that first planned them in the session (conflictdb/transitions.py
says why a join of old and new rows did not). The test reads the plans the triggers used (auto_explain,
nested statements, sent to the client) for a many-row update that follows a one-row update in the same
session, and looks for a transition table rescanned inside a nested loop."""

import json

import pytest
from django.db import connection

from events.models import Actor, Claim, Event, Place
from sources.models import Source
from synthetic.loading import generate

pytestmark = pytest.mark.django_db

# Each table's update: one that changes what its statement triggers read (tallies' columns, search texts,
# a claim's event, a place's country).
UPDATES = {
    Event: "start_date = start_date - 1, title = title || ' (edited)'",
    Claim: "status = 'contested', statement = statement || ' (edited)',"
    " event_id = (SELECT min(id) FROM events_event)",
    Place: "country = 'TUR', name = name || ' (edited)'",
    Actor: "name = name || ' (edited)'",
    Source: "title = title || ' (edited)'",
}


def plans_of(sql: str) -> list[dict]:
    """The plans of every statement `sql` runs, its triggers' included (auto_explain, in JSON)."""
    plans = []

    def kept(diagnostic):
        message = diagnostic.message_primary or ""
        if "plan:" in message:
            plans.append(json.loads(message.split("plan:", 1)[1])["Plan"])

    raw = connection.connection
    raw.add_notice_handler(kept)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        raw.remove_notice_handler(kept)
    return plans


def rescanned(plan: dict) -> list[str]:
    """The transition tables that a nested loop of `plan` scans once per row of its outer side."""
    found = []
    children = plan.get("Plans", [])
    if plan["Node Type"] == "Nested Loop":
        found += tuplestores(children[1])
    for child in children:
        found += rescanned(child)
    return found


def tuplestores(plan: dict) -> list[str]:
    return [
        node.get("Tuplestore Name", "a transition table")
        for node in walk(plan)
        if node["Node Type"] == "Named Tuplestore Scan"
    ]


def walk(plan: dict):
    """The plan's nodes, the plan's own first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from walk(child)


@pytest.fixture
def explained():
    """auto_explain on for this session: every statement's plan, nested ones too, to the client."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("LOAD 'auto_explain'")
        except Exception as error:  # not every server carries the module, or lets this role load it
            pytest.skip(f"auto_explain cannot be loaded here: {error}")
        for setting, value in [
            ("auto_explain.log_min_duration", "0"),
            ("auto_explain.log_nested_statements", "on"),
            ("auto_explain.log_format", "json"),
            ("client_min_messages", "log"),
        ]:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])
    yield


@pytest.mark.parametrize("model", list(UPDATES), ids=lambda model: model.__name__)
def test_a_large_update_after_a_small_one_rescans_no_transition_table(explained, model):
    generate(events=150, seed=3)
    table, columns = model._meta.db_table, UPDATES[model]
    rows = model.objects.count()
    assert rows > 10
    first = model.objects.order_by("id").values_list("id", flat=True)[0]
    small = plans_of(f"UPDATE {table} SET {columns} WHERE id = {first}")
    assert any(tuplestores(plan) for plan in small), "the triggers' plans were not seen"
    large = plans_of(f"UPDATE {table} SET {columns}")
    assert [name for plan in large for name in rescanned(plan)] == []
