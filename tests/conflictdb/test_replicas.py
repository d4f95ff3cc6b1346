"""Read replicas, with a real streaming replica (tests/clusters.py): anonymous reads are served by it, as
its own statistics show; a writer reads its own write at once; a replica lagging beyond the bound, or lost,
is skipped without a 5xx, and serves again once it has caught up; the changes feed read from a lagging
replica skips nothing.

A paused replay (pg_wal_replay_pause) makes the replica stale at will: without it, a local replica
replays within milliseconds, and a read that should have gone to the primary would pass all the same.
"""

import time
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from tests.clusters import api_server, call, read, sql, stop_api_server, url

LAG_BOUND_SECONDS = 3
SECONDS = 30  # the longest any condition below is waited for


@pytest.fixture(scope="module")
def api(cluster, redis_url):
    """The API with the replica, its workers sharing a Redis when there is one (else one worker, whose
    memory holds the pins)."""
    process, base = api_server(
        DATABASE_URL=url(cluster.primary),
        DATABASE_REPLICA_URLS=url(cluster.replica),
        DATABASE_REPLICA_MAX_LAG_S=LAG_BOUND_SECONDS,
        REDIS_URL=redis_url,
        WORKERS=2 if redis_url else 1,
    )
    yield base
    stop_api_server(process)


@pytest.fixture(autouse=True)
def replica_replaying(cluster):
    """Each test starts with the replica up, replaying and caught up, and leaves it so."""
    cluster.caught_up()
    yield
    if not cluster.running("replica"):
        cluster.start("replica", cluster.replica)
    cluster.replay(paused=False)
    cluster.caught_up()


def anonymous_reads(api, count: int = 6):
    for _ in range(count):
        status, _headers, body = call(api, "/api/v1/events/")
        assert status == 200, body[:300]


def served_by_replica(api, cluster) -> bool:
    """Whether a new anonymous read is served by the replica, as its statistics count it."""
    before = cluster.statement_calls(cluster.replica, "events_event")
    anonymous_reads(api, 1)
    return cluster.statement_calls(cluster.replica, "events_event") > before


def summary_on_replica(cluster, slug: str) -> str:
    return sql(cluster.replica, "SELECT summary FROM events_event WHERE slug = %s", [slug])[0][0]


def rewrite(api, cluster, token: str, slug: str, summary: str) -> None:
    status, _headers, body = call(
        api, f"/api/v1/events/{slug}/", method="PATCH", token=token, body={"summary": summary}
    )
    assert status == 200, body[:300]


def eventually(condition, what: str):
    deadline = time.monotonic() + SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


def test_anonymous_reads_are_served_by_the_replica(api, cluster):
    anonymous_reads(api)  # each worker has checked the replica once
    time.sleep(1.1)  # and checks it again with a sample of the primary to hand
    before = {
        port: cluster.statement_calls(port, "events_event") for port in (cluster.primary, cluster.replica)
    }
    anonymous_reads(api, 10)
    after = {
        port: cluster.statement_calls(port, "events_event") for port in (cluster.primary, cluster.replica)
    }

    assert after[cluster.replica] - before[cluster.replica] >= 10
    assert after[cluster.primary] == before[cluster.primary]


def test_a_writer_reads_its_own_write_at_once(api, cluster):
    slug, token = cluster.seeded["events"][0], cluster.seeded["tokens"]["alice"]
    cluster.replay(paused=True)
    rewrite(api, cluster, token, slug, "Rewritten while the replica replays nothing.")

    assert summary_on_replica(cluster, slug) != "Rewritten while the replica replays nothing."
    for _ in range(4):  # whichever worker answers
        record = read(api, f"/api/v1/events/{slug}/", token=token)
        assert record["summary"] == "Rewritten while the replica replays nothing."


def test_a_replica_beyond_the_lag_bound_is_skipped_and_serves_again_once_caught_up(api, cluster):
    slug, token = cluster.seeded["events"][1], cluster.seeded["tokens"]["bob"]
    cluster.replay(paused=True)
    rewrite(api, cluster, token, slug, "Written while the replica falls behind.")

    # Beyond the bound, anonymous reads come from the primary, which has the change; never a 5xx.
    def primary_serves():
        return read(api, f"/api/v1/events/{slug}/")["summary"] == "Written while the replica falls behind."

    eventually(primary_serves, "anonymous reads moved to the primary")
    assert summary_on_replica(cluster, slug) != "Written while the replica falls behind."

    cluster.replay(paused=False)
    cluster.caught_up()
    eventually(lambda: served_by_replica(api, cluster), "the replica serves again")
    assert read(api, f"/api/v1/events/{slug}/")["summary"] == "Written while the replica falls behind."


@pytest.fixture(scope="module")
def patient_api(cluster):
    """The API with a replica it never finds too far behind: every anonymous read is the replica's,
    however stale, as a replica lagging just within the bound would be."""
    process, base = api_server(
        DATABASE_URL=url(cluster.primary),
        DATABASE_REPLICA_URLS=url(cluster.replica),
        DATABASE_REPLICA_MAX_LAG_S=3600,
        WORKERS=1,
    )
    yield base
    stop_api_server(process)


def feed(api, link: str, **options) -> tuple[list, str]:
    """(changes, resume link path) of a feed page."""
    page = read(api, link, **options)
    return page["results"], page["resume"].removeprefix(api)


def test_the_changes_feed_of_a_lagging_replica_skips_nothing(patient_api, cluster):
    api, token, slug = patient_api, cluster.seeded["tokens"]["alice"], cluster.seeded["events"][2]
    since = quote(datetime.now(UTC).isoformat())
    seen, resume = feed(api, f"/api/v1/changes/?since={since}&page_size=1000")
    cluster.replay(paused=True)
    rewrite(api, cluster, token, slug, "Changed while the replica's feed stands still.")

    # The writer's own feed comes from the primary: the change is there, with a position past it.
    mine, my_resume = feed(api, resume, token=token)
    assert [(change["slug"], change["user"]) for change in mine] == [(slug, "alice")]
    # The replica's has not got it yet: nothing, and the position stays where it was ...
    assert feed(api, resume) == ([], resume)
    # ... and a position past what it has is answered with nothing, not with what comes before it.
    assert feed(api, my_resume) == ([], my_resume)

    cluster.replay(paused=False)
    cluster.caught_up()
    # Caught up, it gives the change after the position it gave before, and nothing twice.
    caught_up, _ = feed(api, resume)
    assert [(change["slug"], change["user"]) for change in caught_up] == [(slug, "alice")]
    assert feed(api, my_resume)[0] == []


def test_reads_survive_the_replicas_loss_and_it_catches_up_when_back(api, cluster):
    slug, token = cluster.seeded["events"][0], cluster.seeded["tokens"]["alice"]
    anonymous_reads(api)  # the workers hold connections to the replica
    cluster.stop("replica")

    anonymous_reads(api, 10)  # every one a 200: read again from the primary
    rewrite(api, cluster, token, slug, "Written while the replica was down.")
    assert read(api, f"/api/v1/events/{slug}/")["summary"] == "Written while the replica was down."

    cluster.start("replica", cluster.replica)
    cluster.caught_up()
    eventually(lambda: served_by_replica(api, cluster), "the replica serves again")
    assert read(api, f"/api/v1/events/{slug}/")["summary"] == "Written while the replica was down."
