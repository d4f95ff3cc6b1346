"""Whole-set exports under limits of their own, so that clients exporting in a loop cannot starve the rest.

An export reads a whole filtered set in one statement that may run for minutes (its own statement
timeout, conflictdb/exports.py). Three bounds:
- at most EXPORT_CONCURRENCY exports at once across every worker and server: slots in Redis when
  REDIS_URL is set, PostgreSQL advisory locks on the primary otherwise (held by a connection of the
  worker's, so that a worker that dies frees its slot with its connection); beyond, a 429 with
  Retry-After. Behind a pooler in transaction mode a session's lock would stay on whichever server
  connection took it, so each export then holds its lock in a transaction of its own connection;
- at most API_RATES["export"] exports per client (user, or address when anonymous), counted like the
  other rate limits;
- a client that stops reading for EXPORT_STALL_SECONDS is disconnected (under gunicorn, whose socket
  the request carries), which ends the export's statement.
"""

import threading
import time
import uuid
from functools import cache

import psycopg
import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from rest_framework import exceptions, throttling

from conflictdb.throttling import RateFromSettings

ADVISORY_KEY = 0x45585054  # "EXPT": the first half of the advisory lock keys, the slot number the second
REDIS_KEY = "conflictdb:export-slots"
RETRY_AFTER_SECONDS = 10

# Take a slot if fewer than ARGV[3] are held (slots expire at their score, so a lost worker's come back).
TAKE_SLOT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
    return 1
end
return 0
"""


class ExportsBusy(exceptions.Throttled):
    default_detail = "As many exports as the server runs at once are running; retry shortly."


class ExportRateThrottle(RateFromSettings, throttling.SimpleRateThrottle):
    """Exports per client: by user with a token or session, else by address."""

    scope = "export"

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AdvisorySlots:
    """Slots as PostgreSQL session advisory locks on the export's own connection.

    A session may take a lock it holds again, so the slots this process holds are also kept here: a
    second export on the same connection (threads share none; tests do) takes another slot."""

    held: set[int] = set()
    lock = threading.Lock()

    def take(self):
        with self.lock, connection.cursor() as cursor:
            for slot in range(settings.EXPORT_CONCURRENCY):
                if slot in self.held:
                    continue
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_KEY, slot])
                if cursor.fetchone()[0]:
                    self.held.add(slot)
                    return lambda: self.give_back(slot)
        return None

    def give_back(self, slot: int):
        with self.lock:
            self.held.discard(slot)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_KEY, slot])
            except DatabaseError:
                pass  # the connection is gone, and its locks with it


class TransactionSlots:
    """Slots as transaction-level advisory locks, for a pooler in transaction mode: each export opens a
    connection of its own to the primary and keeps a transaction open on it while it runs, which ties one
    server connection to it (the pooler gives it to no one else until the transaction ends). Giving the
    slot back ends the transaction and the connection; a worker that dies drops it, the pooler ends the
    transaction, and the lock goes with it."""

    def take(self):
        database = connections[DEFAULT_DB_ALIAS]
        held = psycopg.connect(**database.get_connection_params())
        try:
            for slot in range(settings.EXPORT_CONCURRENCY):
                taken = held.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_KEY, slot])
                if taken.fetchone()[0]:
                    return lambda: self.give_back(held)
        except BaseException:
            held.close()
            raise
        held.close()
        return None

    @staticmethod
    def give_back(held):
        try:
            held.rollback()
        except psycopg.Error:
            pass  # the connection is gone, and its lock with it
        finally:
            held.close()


class RedisSlots:
    """Slots as members of a sorted set in Redis, each expiring after the longest an export may run."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.take_slot = self.client.register_script(TAKE_SLOT)

    def take(self):
        token = uuid.uuid4().hex
        now = time.time()
        expires = now + settings.EXPORT_TIMEOUT_MS / 1000 + 60
        if self.take_slot(keys=[REDIS_KEY], args=[now, expires, settings.EXPORT_CONCURRENCY, token]):
            return lambda: self.client.zrem(REDIS_KEY, token)
        return None


@cache
def redis_slots(url: str) -> RedisSlots:
    """One client (and its connection pool) per process and URL, not one per export."""
    return RedisSlots(url)


def slots():
    if settings.REDIS_URL:
        return redis_slots(settings.REDIS_URL)
    return TransactionSlots() if settings.DATABASE_TRANSACTION_POOLING else AdvisorySlots()


def admit(request, view):
    """Admit an export of `request` or raise a 429; returns the function that frees its slot."""
    throttle = ExportRateThrottle()
    if not throttle.allow_request(request, view):
        raise exceptions.Throttled(throttle.wait())
    release = slots().take()
    if release is None:
        raise ExportsBusy(RETRY_AFTER_SECONDS)
    stall_bound(request)
    return release


def stall_bound(request):
    """Bound how long a write to the client may block: a client that stops reading is disconnected."""
    sock = request.META.get("gunicorn.socket")
    if sock is not None:
        sock.settimeout(settings.EXPORT_STALL_SECONDS)


class Admitted:
    """An export's lines, whose slot is given back when the server closes the response: after the last
    line, or when the client went away, or if the response was never read."""

    def __init__(self, lines, release):
        self.lines = lines
        self.release = release

    def __iter__(self):
        return iter(self.lines)

    def close(self):
        try:
            close = getattr(self.lines, "close", None)
            if close is not None:
                close()
        finally:
            release, self.release = self.release, None
            if release is not None:
                release()
