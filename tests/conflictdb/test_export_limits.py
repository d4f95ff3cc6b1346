"""Whole-set exports run under their own limits: a cap on how many run at once, shared by every worker
(advisory locks, or Redis), a rate per client, and slots given back however an export ends."""

import inspect
import threading

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection

from conflictdb.export_limits import AdvisorySlots, RedisSlots
from tests import factories
from tests.api_testing import problem

pytestmark = pytest.mark.django_db


def export(api):
    return api.get("/api/v1/places/", {"format": "csv"})


def close(response):
    """What a WSGI server does at the end of an admitted export's response: close it.

    Once read from, the test client's wrapper of the response's content does that when closed, keeping
    the test's connection open; a response never read is closed the same way by hand."""
    assert response.status_code == 200 and response.streaming, response.content
    wrapper = response._iterator
    if inspect.getgeneratorstate(wrapper) != inspect.GEN_CREATED:
        wrapper.close()
        return
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def stop_reading(response):
    """A client that read the first chunk and went away: the server closes the response."""
    next(iter(response.streaming_content))
    close(response)


@pytest.fixture(autouse=True)
def no_slot_left_held():
    """Every test gives back each slot it took: a leak would show here, not as a later test's 429."""
    yield
    assert AdvisorySlots.held == set()


@pytest.fixture
def one_at_a_time(settings):
    settings.EXPORT_CONCURRENCY = 1
    factories.place()


def test_beyond_the_cap_an_export_is_a_429_with_retry_after(api, one_at_a_time):
    running_elsewhere = AdvisorySlots().take()  # as an export in another request holds it

    busy = export(api)
    problem(busy, 429)
    assert int(busy["Retry-After"]) > 0

    running_elsewhere()
    admitted = export(api)
    assert admitted.status_code == 200
    close(admitted)


def test_a_client_that_stops_reading_gives_its_slot_back(api, one_at_a_time):
    stop_reading(export(api))
    close(export(api))


def test_a_finished_export_gives_its_slot_back(api, one_at_a_time):
    for _ in range(3):
        response = export(api)
        assert response.status_code == 200
        b"".join(response.streaming_content)  # the test client closes it at the end


def test_an_export_never_read_gives_its_slot_back_when_closed(api, one_at_a_time):
    close(export(api))
    close(export(api))


def test_an_invalid_export_takes_no_slot(api, one_at_a_time):
    problem(api.get("/api/v1/places/", {"format": "csv", "country": "Syria"}), 400)
    close(export(api))


@pytest.mark.django_db(transaction=True)
def test_advisory_slots_are_shared_by_every_connection(settings):
    """Another connection (another worker's) cannot take a slot this one holds."""
    settings.EXPORT_CONCURRENCY = 1
    release = AdvisorySlots().take()
    assert release is not None
    taken_elsewhere = []

    def other_worker():
        try:
            AdvisorySlots.held = set()  # another process holds nothing of this one's
            taken_elsewhere.append(AdvisorySlots().take())
        finally:
            connection.close()

    held = AdvisorySlots.held
    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join(timeout=30)
    AdvisorySlots.held = held
    release()

    assert taken_elsewhere == [None]


def test_redis_slots_are_capped_and_given_back(settings, empty_redis):
    settings.EXPORT_CONCURRENCY = 2
    first, second = RedisSlots(empty_redis), RedisSlots(empty_redis)  # two servers

    releases = [first.take(), second.take()]
    assert all(releases)
    assert second.take() is None
    releases[0]()
    assert first.take() is not None  # the empty_redis fixture empties it afterwards


def test_exports_per_client_are_rate_limited(api, settings):
    settings.API_RATES = {"anon": None, "user": None, "export": "2/hour"}
    factories.place()
    for _ in range(2):
        response = export(api)
        assert response.status_code == 200
        close(response)
    limited = export(api)
    problem(limited, 429)
    assert int(limited["Retry-After"]) > 0
    assert api.get("/api/v1/places/").status_code == 200  # pages are not exports
