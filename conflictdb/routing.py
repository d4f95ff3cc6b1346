"""Which database serves a request's reads: a replica for read-only requests, the primary for the rest.

With DATABASE_REPLICA_URLS set, ReplicaReadsMiddleware lets the reads of a request go to a replica when
the request cannot write (GET, HEAD, OPTIONS), is not the admin's (a curator's form must show what a save
will overwrite), and its client has not written lately. The replica is chosen at the request's first
read, in turn among the usable ones (conflictdb/replicas.py), and serves all of its reads, so that one
response is read from one server. Everything else reads and writes the primary: writing requests,
management commands, the shell, the tests. Writes always go to the primary.

Read-your-writes: a client that wrote (an authenticated request of an unsafe method, whatever its
answer: a 412 asks it to read again) reads from the primary for PIN_SECONDS after. The client is known
by a signed cookie (browsers, and clients that keep cookies) and by its credentials, a hash of its
Authorization header kept in the cache (token clients that keep no cookies; shared by every worker and
server through REDIS_URL, else per worker). The pin lasts the lag bound plus how long a replica's check
is believed, and a second for the rounding (pin_seconds): a replica used after the pin ends lagged by at
most the bound when it was last checked, at most CHECK_SECONDS before, so it has replayed every
transaction committed before the write was answered.

A replica that fails during a read-only request (the request answers 503, and the replica no longer
passes its check) is skipped from then on, and the request is served again from the primary: a lost
replica costs its clients nothing but time. An export's rows stream after the request's middleware has
returned, from the database chosen while it ran (conflictdb/exports.py).

Why not django-multidb-router's pinning router: it sends every read to a replica, commands and shells
included; it pins by cookie only; it has no health or lag check. Each of these would be replaced.
"""

import contextvars
import hashlib
from functools import cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache as shared_cache
from django.db import DEFAULT_DB_ALIAS
from django.urls import reverse

from conflictdb.replicas import CHECK_SECONDS, replicas

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "conflictdb_primary"
PIN_SALT = "conflictdb.routing.pin"
PIN_KEY = "conflictdb:pin:{}"


def pin_seconds() -> int:
    """How long a client that wrote reads from the primary (the module's docstring says why this long)."""
    return int(settings.REPLICA_MAX_LAG_SECONDS + CHECK_SECONDS) + 1


class Reads:
    """Where one read-only request's reads go: chosen at its first read, then kept."""

    def __init__(self):
        self.alias: str | None = None

    def choose(self) -> str:
        if self.alias is None:
            self.alias = replicas().choose() or DEFAULT_DB_ALIAS
        return self.alias


# The reads of the request being served, when they may go to a replica; None otherwise (the primary).
current_reads: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("current_reads", default=None)


class ReplicaRouter:
    """Reads where the request's Reads say, else on the primary; writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        reads = current_reads.get()
        return reads.choose() if reads is not None else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def credentials_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    return PIN_KEY.format(hashlib.sha256(header.encode()).hexdigest()) if header else None


def pinned(request) -> bool:
    """Whether the client wrote in the last pin_seconds()."""
    if PIN_COOKIE in request.COOKIES:
        try:
            request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=pin_seconds())
            return True
        except (KeyError, signing.BadSignature):
            pass
    key = credentials_key(request)
    return key is not None and shared_cache.get(key) is not None


def pin(request, response) -> None:
    seconds = pin_seconds()
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = credentials_key(request)
    if key is not None:
        shared_cache.set(key, 1, timeout=seconds)


@cache
def admin_prefix() -> str:
    return reverse("admin:index")


def admin_request(request) -> bool:
    return request.path_info.startswith(admin_prefix())


class ReplicaReadsMiddleware:
    """Sends a read-only request's reads to a replica (the module's docstring), and pins writers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                pin(request, response)
            return response
        if admin_request(request) or pinned(request):
            return self.get_response(request)
        reads = Reads()
        token = current_reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            current_reads.reset(token)
        replica = reads.alias not in (None, DEFAULT_DB_ALIAS)
        if response.status_code == 503 and replica and not replicas().usable_now(reads.alias):
            return self.get_response(request)  # once more, every read on the primary
        return response
