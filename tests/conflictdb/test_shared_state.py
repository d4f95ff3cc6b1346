"""Two app servers sharing one Redis (tests/clusters.py's primary and Redis, two gunicorn processes): one
rate limit counted across both, an estimate planned through one and used by the other, and an answer kept
by one served by the other with no statement but the data version's."""

import pytest
import redis

from tests.clusters import APP_ROLE, api_server, call, sql, stop_api_server, url

ANONYMOUS_RATE = 5
# The host the clients asked for, as a load balancer passes it to every server behind it: the pages'
# links carry it, so answers are kept by it.
BALANCED = {"Host": "api.example"}


def start_two(cluster, redis_url, **environment):
    if redis_url is None:
        pytest.skip("redis-server is not installed")
    return [
        api_server(
            DATABASE_URL=url(cluster.primary),
            REDIS_URL=redis_url,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,api.example",
            WORKERS=1,
            **environment,
        )
        for _ in range(2)
    ]


@pytest.fixture
def servers(request, cluster, redis_url):
    """Two servers on the cluster's primary and one Redis, emptied first; their base URLs."""
    started = start_two(cluster, redis_url, **request.param)
    redis.Redis.from_url(redis_url).flushdb()
    yield [base for _process, base in started]
    for process, _base in started:
        stop_api_server(process)


def calls(cluster, pattern: str) -> int:
    """Statements of the servers' role on the primary whose text is like `pattern` (pg_stat_statements)."""
    return sql(
        cluster.primary,
        """SELECT coalesce(sum(calls), 0)::int FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
            WHERE r.rolname = %s AND s.query LIKE %s""",
        [APP_ROLE, pattern],
    )[0][0]


def keys(redis_url: str, pattern: str) -> list[bytes]:
    return redis.Redis.from_url(redis_url).keys(pattern)


@pytest.mark.parametrize(
    "servers", [{"API_ANON_RATE": f"{ANONYMOUS_RATE}/minute", "RESPONSE_CACHE_SECONDS": 0}], indirect=True
)
def test_requests_split_between_two_servers_meet_one_rate_limit(servers):
    first, second = servers
    answered = [call(servers[n % 2], "/api/v1/actors/")[0] for n in range(ANONYMOUS_RATE)]
    assert answered == [200] * ANONYMOUS_RATE

    status, headers, _body = call(first, "/api/v1/actors/")
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert call(second, "/api/v1/actors/")[0] == 429


@pytest.mark.parametrize("servers", [{"RESPONSE_CACHE_SECONDS": 0}], indirect=True)
def test_an_estimate_planned_through_one_server_is_used_by_the_other(servers, redis_url, cluster):
    """A page of a result larger than the page is counted from the planner's estimate, kept in Redis: the
    second server finds it there and plans nothing."""
    first, second = servers
    page = "/api/v1/events/?page_size=1&event_type=explosions_remote_violence"
    explained = calls(cluster, "EXPLAIN%events_event%")

    assert call(first, page)[0] == 200
    assert calls(cluster, "EXPLAIN%events_event%") == explained + 1
    assert len(keys(redis_url, "*row-estimate:*")) == 1
    for _ in range(3):
        assert call(second, page)[0] == 200
    assert calls(cluster, "EXPLAIN%events_event%") == explained + 1


@pytest.mark.parametrize("servers", [{"RESPONSE_CACHE_SECONDS": 600}], indirect=True)
def test_an_answer_kept_by_one_server_is_served_by_the_other_until_a_write(servers, redis_url, cluster):
    first, second = servers
    page = "/api/v1/events/?page_size=2"
    status, headers, body = call(first, page, headers=BALANCED)
    assert status == 200 and b"http://api.example/" in body and len(keys(redis_url, "*response:*")) == 1
    read_events, read_version = calls(cluster, '%"events_event"%'), calls(cluster, "%pg_current_snapshot%")

    for _ in range(3):
        again = call(second, page, headers=BALANCED)
        assert again[0] == 200 and again[2] == body and again[1]["ETag"] == headers["ETag"]
    assert calls(cluster, '%"events_event"%') == read_events  # no page read: the kept answer
    assert calls(cluster, "%pg_current_snapshot%") == read_version + 3

    sql(cluster.primary, "UPDATE events_event SET title = title || ' (corrected)'")  # not by the API
    try:
        fresh = call(second, page, headers=BALANCED)
        assert fresh[0] == 200 and b"(corrected)" in fresh[2] and fresh[1]["ETag"] != headers["ETag"]
        assert calls(cluster, '%"events_event"%') > read_events
    finally:
        sql(cluster.primary, "UPDATE events_event SET title = replace(title, ' (corrected)', '')")
