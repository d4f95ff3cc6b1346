"""An event's claim_count and disputed, kept by triggers (events/summary.py), follow every write to claims
and relations, however it is made."""

import threading
import time
from collections import Counter

import psycopg
import pytest
from django.db import connection, transaction

from events.models import Claim, ClaimRelation, Event
from events.summary import triggers_paused
from events.vocabularies import ClaimRelationKind
from tests import factories

pytestmark = pytest.mark.django_db

CONTRADICTS, SUPPORTS = ClaimRelationKind.CONTRADICTS, ClaimRelationKind.SUPPORTS


def recounted(events=None) -> dict[str, tuple[int, bool]]:
    """Each event's (claim count, disputed) counted afresh from the claims and relations."""
    events = Event.objects.all() if events is None else events
    counts = Counter(Claim.objects.exclude(event=None).values_list("event__slug", flat=True))
    contested = set()
    for pair in ClaimRelation.objects.filter(kind=CONTRADICTS).values_list(
        "from_claim__event__slug", "to_claim__event__slug"
    ):
        contested |= set(pair)
    return {slug: (counts[slug], slug in contested) for slug in events.values_list("slug", flat=True)}


def stored(events=None) -> dict[str, tuple[int, bool]]:
    events = Event.objects.all() if events is None else events
    return {
        slug: (count, disputed)
        for slug, count, disputed in events.values_list("slug", "claim_count", "disputed")
    }


def summary(*events) -> list[tuple[int, bool]]:
    found = stored()
    assert found == recounted()
    return [found[event.slug] for event in events]


def test_the_summary_follows_each_write_to_claims_and_relations():
    first, second = factories.event(slug="first"), factories.event(slug="second")
    assert summary(first, second) == [(0, False), (0, False)]

    a1, a2 = factories.claim(event=first), factories.claim(event=first)
    assert summary(first, second) == [(2, False), (0, False)]

    factories.claim_relation(from_claim=a2, to_claim=a1, kind=CONTRADICTS)
    assert summary(first, second) == [(2, True), (0, False)]

    b1 = factories.claim(event=second)
    across = factories.claim_relation(from_claim=b1, to_claim=a1, kind=CONTRADICTS)
    assert summary(first, second) == [(2, True), (1, True)]

    across.kind = SUPPORTS
    across.save()
    assert summary(first, second) == [(2, True), (1, False)]

    a2.event = second  # it still contradicts a1: both events stay disputed
    a2.save()
    assert summary(first, second) == [(1, True), (2, True)]

    ClaimRelation.objects.filter(from_claim=a2).delete()
    assert summary(first, second) == [(1, False), (2, False)]

    # A claim about no event that contradicts one of the event's claims disputes it too.
    factories.claim_relation(from_claim=factories.claim(), to_claim=b1, kind=CONTRADICTS)
    assert summary(first, second) == [(1, False), (2, True)]

    b1.delete()  # its relations go first (Django's cascade), then the claim
    assert summary(first, second) == [(1, False), (1, False)]


def test_bulk_writes_and_raw_sql_update_each_event_they_touch():
    events = [factories.event(slug=f"event-{n}") for n in range(3)]
    claimant, source = factories.actor(), factories.source()
    claims = Claim.objects.bulk_create(
        Claim(slug=f"claim-{n}", event=events[n % 3], claimant=claimant, source=source, statement="s")
        for n in range(7)
    )
    assert summary(*events) == [(3, False), (2, False), (2, False)]

    ClaimRelation.objects.bulk_create(
        [
            ClaimRelation(from_claim=claims[3], to_claim=claims[0], kind=CONTRADICTS),
            ClaimRelation(from_claim=claims[4], to_claim=claims[1], kind=SUPPORTS),
        ]
    )
    assert summary(*events) == [(3, True), (2, False), (2, False)]

    Claim.objects.filter(event=events[0]).update(event=events[2])
    assert summary(*events) == [(0, False), (2, False), (5, True)]

    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_claimrelation SET kind = %s", [CONTRADICTS])
    assert summary(*events) == [(0, False), (2, True), (5, True)]

    Claim.objects.filter(event=events[2]).delete()
    assert summary(*events) == [(0, False), (2, True), (0, False)]  # its relation is within it


def test_a_new_summary_is_no_new_version_of_the_event():
    event = factories.event()
    versions = event.history.count()

    factories.claim_relation(
        from_claim=factories.claim(event=event), to_claim=factories.claim(event=event), kind=CONTRADICTS
    )

    event.refresh_from_db()
    assert (event.claim_count, event.disputed) == (2, True)
    assert event.history.count() == versions


def test_paused_triggers_leave_the_summary_to_the_writer_until_the_block_ends():
    """What the synthetic loader relies on: it writes each event's summary with the event."""
    event = factories.event()
    with transaction.atomic(), connection.cursor() as cursor, triggers_paused(cursor):
        factories.claim(event=event)
        event.refresh_from_db()
        assert event.claim_count == 0

    factories.claim(event=event)
    event.refresh_from_db()
    assert event.claim_count == 2


def connect() -> psycopg.Connection:
    """A connection of its own to the test database, outside Django's."""
    settings = connection.settings_dict
    keys = {"dbname": "NAME", "user": "USER", "password": "PASSWORD", "host": "HOST", "port": "PORT"}
    return psycopg.connect(**{key: settings[name] for key, name in keys.items() if settings.get(name)})


@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_claims_to_one_event_count_both():
    """The second waits for the first to commit, then counts its claim too (the events are locked before
    they are counted, events/summary.py)."""
    event = factories.event()
    model = factories.claim(event=event)
    columns = ", ".join(
        field.column for field in Claim._meta.concrete_fields if field.name not in ("id", "slug")
    )
    copy = f"INSERT INTO events_claim (slug, {columns}) SELECT %s, {columns} FROM events_claim WHERE id = %s"
    first, second, watcher = connect(), connect(), connect()
    try:
        first.execute(copy, ["first-copy", model.id])
        waiting_pid = second.info.backend_pid
        blocked = threading.Thread(target=lambda: second.execute(copy, ["second-copy", model.id]))
        blocked.start()
        for _ in range(200):  # until the second waits for the first's lock on the event
            activity = "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s"
            if watcher.execute(activity, [waiting_pid]).fetchone()[0] == "Lock":
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the second transaction never waited for the first")
        first.commit()
        blocked.join(timeout=30)
        second.commit()
    finally:
        for conn in (first, second, watcher):
            conn.close()

    event.refresh_from_db()
    assert event.claim_count == Claim.objects.filter(event=event).count() == 3


def test_saving_an_event_read_before_its_claims_keeps_their_summary():
    event = factories.event()
    stale = Event.objects.get(pk=event.pk)  # read while it has no claims
    factories.claim_relation(
        from_claim=factories.claim(event=event), to_claim=factories.claim(event=event), kind=CONTRADICTS
    )

    stale.title = "Retitled"
    stale.save()

    assert Event.objects.values_list("title", "claim_count", "disputed").get(pk=event.pk) == (
        "Retitled",
        2,
        True,
    )
