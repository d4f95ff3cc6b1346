"""Reads that cost next to nothing when repeated: validators, 304s, Cache-Control and a server-side cache.

`conditional_read` wraps the list and detail actions of the API's collections (and releases):
- **The data version first.** Its one statement (conflictdb/data_version.py: the server's snapshot, or a
  standby's replay position) comes before any of the response's data, on the database the data is read
  from; everything below is keyed by it, so that a committed write made in any way makes every validator
  and cached answer from before it unreachable. In a transaction that has written there is no version:
  such a read is answered as computed, with a record's own tag alone, and neither kept nor served kept.
- **ETag.** A list's (and a release's) is weak, `W/"<digest>"`, of its URL, the data version and the
  representation (the media type, the code): a page's count may be the planner's estimate, which moves
  without a write, so two answers under one tag are equivalent rather than identical bytes. A record's
  stays strong for If-Match, `"<updated_at>.<digest>"`: If-Match compares the record's part
  (conflictdb/views.py), If-None-Match the whole, so that a linked record's change (an actor renamed in
  an event) is a new tag.
  Gzip answers keep conflictdb/compression.py's `-gzip` rule, which If-None-Match accepts as well.
- **304.** A list's tag is known before anything is read, a kept answer's with it: an If-None-Match that
  matches is answered with no other statement, no page read and nothing rendered. A record not kept is
  read and compared before its body is rendered.
- **Cache-Control.** Anonymous answers carry settings.ANONYMOUS_CACHE_CONTROL (docs/scaling.md says why
  its default revalidates every time); answers to a client that authenticated are `private`.
- **The server's cache.** Anonymous JSON answers of at most settings.RESPONSE_CACHE_MAX_BYTES are kept
  for settings.RESPONSE_CACHE_SECONDS in the `responses` cache (Redis with REDIS_URL, apart from the
  rate-limit counters), rendered, before compression, under a key of everything their
  bytes depend on: the absolute URL as given (scheme, host, path and query in its order, which the
  pages' links repeat), the negotiated media type (an `indent` included), the data version, the API's
  version and a digest of the code (a deploy writes differently). A repeated read then runs one
  statement, the version's. Exports (CSV, GeoJSON streams) and the browsable API are never kept.
"""

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import router
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from conflictdb.compression import coded_etag
from conflictdb.data_version import current_version
from conflictdb.exports import is_export

KEPT_HEADERS_OF_304 = ("ETag", "Cache-Control", "Vary", "Last-Modified")
APPS = ("conflictdb", "events", "sources", "releases")


@cache
def code_digest() -> str:
    """A digest of the project's Python source, the same on every server running the same code."""
    digest = hashlib.sha256()
    for app in APPS:
        for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def version_of(request, model) -> str | None:
    """The data version of the database `model` is read from, read once per request and database (the
    request's first statement when the read is conditional)."""
    http_request = getattr(request, "_request", request)
    alias = router.db_for_read(model)
    # By database: a request that a lost replica failed is served again from the primary (routing.py).
    versions = http_request.__dict__.setdefault("data_versions", {})
    if alias not in versions:
        versions[alias] = current_version(model)
    return versions[alias]


def authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


def representation(request, model) -> str | None:
    """What a read's bytes depend on besides its URL; None without a data version."""
    version = version_of(request, model)
    if version is None:
        return None
    reader = request.user.pk if authenticated(request) else None
    api = settings.SPECTACULAR_SETTINGS["VERSION"]
    return digest(version, request.accepted_media_type, api, code_digest(), reader)


def record_etag(request, model, updated_at) -> str:
    """A record's strong ETag: its own `updated_at` (what If-Match compares), then the representation."""
    own = int(updated_at.timestamp() * 1_000_000)
    shown = representation(request, model)
    return f'"{own}.{shown[:16]}"' if shown else f'"{own}"'


def record_part(tag: str) -> str | None:
    """The record's part of a strong ETag this API gave, as identity or gzip; None for a weak one."""
    tag = tag.strip()
    if not (tag.startswith('"') and tag.endswith('"')):
        return None
    return tag[1:-1].removesuffix("-gzip").split(".")[0]


def matching(request, tag: str | None) -> str | None:
    """The tag of `If-None-Match` that names `tag` (the answer's, or its gzip-coded form), else None.
    Compared weakly, as RFC 9110 has If-None-Match compare."""
    given = request.META.get("HTTP_IF_NONE_MATCH")
    if not tag or not given:
        return None
    candidates = {tag.removeprefix("W/")}
    if tag.startswith('"'):
        candidates.add(coded_etag(tag))
    for sent in given.split(","):
        if sent.strip().removeprefix("W/") in candidates:
            return sent.strip()
    return None


def not_modified(headers, tag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    for name in KEPT_HEADERS_OF_304:
        if name in headers:
            response[name] = headers[name]
    response["ETag"] = tag
    return response


def conditional(request) -> bool:
    """Whether the read gets validators and may be kept: JSON of a list or record, not an export nor the
    browsable API."""
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "json" and not is_export(request)


def keepable(request) -> bool:
    return settings.RESPONSE_CACHE_SECONDS > 0 and request.method == "GET" and not authenticated(request)


def conditional_read(action):
    """Wrap a list or detail action with the module's validators, 304s, Cache-Control and cache."""

    @wraps(action)
    def read(view, request, *args, **kwargs):
        model = view.queryset.model
        if not conditional(request) or representation(request, model) is None:
            return action(view, request, *args, **kwargs)
        url = request.build_absolute_uri()
        key = f"response:{digest(url, representation(request, model))}"
        # A list's tag, known before anything is read; records (but releases) bring their own.
        tag = f'W/"{key.removeprefix("response:")}"'
        listing = view.action == "list"
        control = "private" if authenticated(request) else settings.ANONYMOUS_CACHE_CONTROL
        keep = keepable(request)
        kept = caches["responses"].get(key) if keep else None
        if kept is not None:
            headers, content = kept
            headers["Cache-Control"] = control  # as configured now, not when it was kept
            sent = matching(request, headers.get("ETag"))
            return not_modified(headers, sent) if sent else HttpResponse(content, headers=headers)
        if listing and (sent := matching(request, tag)):
            return not_modified({"Cache-Control": control, "Vary": "Accept"}, sent)
        response = action(view, request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if listing or "ETag" not in response:
            response["ETag"] = tag
        response["Cache-Control"] = control
        patch_vary_headers(response, ["Accept"])
        if sent := matching(request, response.get("ETag")):
            return not_modified(response, sent)
        if keep:
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = view.get_renderer_context()
            response.render()
            if len(response.content) <= settings.RESPONSE_CACHE_MAX_BYTES:
                kept = (dict(response.items()), response.content)
                caches["responses"].set(key, kept, settings.RESPONSE_CACHE_SECONDS)
        return response

    return read
