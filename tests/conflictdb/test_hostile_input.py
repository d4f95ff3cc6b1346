"""No input makes a server error: every operation of the served OpenAPI schema, called with what a
hostile or careless client sends (tests/conflictdb/hostile_input.py, hostile_bodies.py).

The schemathesis tests generate what the schema allows and a little beyond; these strategies aim at
what found the 500s of issue 15: forged and borrowed cursors, digits of other scripts, values past
bigint, datetimes that overflow in UTC, NULs, repeated and excess parameters, odd Authorization,
If-Match and Accept headers, bodies with unknown fields, wrong types, deep nesting and long lists.
Every answer must be below 500 (503 only when the database is down, and it is not here), and every
4xx a problem document that says what was wrong. Each example runs in a savepoint rolled back after
it, so the curated dataset is the same for every case; examples are derandomized and bounded.
"""

import io
import json
import traceback
from collections import Counter
from urllib.parse import parse_qs, unquote_to_bytes, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.signals import got_request_exception
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictdb.wsgi import application
from events.models import Actor, Claim, Event, Place
from sources.models import Source
from tests import factories
from tests.conflictdb import hostile_input as hostile
from tests.conflictdb.hostile_bodies import bodies, raw_bodies
from tests.conflictdb.test_schemathesis import keep_the_test_connection  # noqa: F401 (autouse fixture)

DOCUMENT = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
OPERATIONS = [
    (method.upper(), path)
    for path, operations in DOCUMENT["paths"].items()
    for method in operations
    if method in {"get", "post", "put", "patch", "delete"}
]
COLLECTIONS = {"actors": Actor, "places": Place, "events": Event, "claims": Claim, "sources": Source}
EXAMPLES = {"GET": 45, "POST": 50, "PUT": 50, "PATCH": 50, "DELETE": 15}
# Server errors found whose fix belongs to another module: tests/conflictdb/test_requests.py holds a
# test of each, marked as failing until the fix. Here they are counted apart and let pass, so that the
# operation is still searched for any other; once fixed, remove the entry.
KNOWN_SERVER_ERRORS: dict[str, tuple[str, ...]] = {}
# What each operation was answered, for the terminal summary (tests/conftest.py).
CASES: dict[str, Counter] = {}
SERVER_ERRORS: dict[str, list[str]] = {}


@pytest.fixture
def world(curated_dataset_of_module, db):
    """The curated dataset (loaded once for the module), and what a client could have learnt from it:
    slugs of each collection, tokens, cursors of every list and ordering, positions of the changes feed."""

    def read(path, **query):
        return json.loads(Answer(environ_of("GET", path, urlencode(query), {}, b"", "")).content)

    cursors = []
    for collection in COLLECTIONS:
        for ordering in ["", "-updated_at", "updated_at", "-slug"]:
            link = read(f"/api/v1/{collection}/", page_size=1, ordering=ordering).get("next")
            cursors += parse_qs(urlsplit(link).query).get("cursor", []) if link else []
    feed = read("/api/v1/changes/", since="2000-01-01T00:00:00Z", page_size=1)
    return {
        "slugs": {
            name: list(model.objects.values_list("slug", flat=True)) for name, model in COLLECTIONS.items()
        },
        "curator": factories.token(factories.user(curator=True)),
        "reader": factories.token(factories.user()),
        "cursors": cursors,
        "orders": sorted({hostile.decoded(cursor)["o"] for cursor in cursors}),
        "positions": parse_qs(urlsplit(feed["resume"]).query)["after"],
    }


def rarely(odd, usual=None):
    """`odd` one time in four, `usual` otherwise: most requests are mostly ordinary, so that the odd
    part of each reaches past the checks that come before it."""
    usual = st.none() if usual is None else usual
    return st.integers(0, 3).flatmap(lambda roll: odd if roll == 3 else usual)


def parameter_values(parameter: dict, world: dict):
    """Values of a query parameter: of its own kind (and at times a valid one), and any odd text."""
    name, schema = parameter["name"], parameter.get("schema", {})
    items = schema.get("items", {})
    if name == "cursor":
        own = hostile.cursors(world["cursors"], world["orders"])
    elif name == "after":
        own = hostile.positions(world["positions"])
    elif name == "format":
        own = st.sampled_from(["json", "csv", "geojson", "api", "xml", "CSV"])
    elif name == "ordering":
        choices = [choice for choice in items.get("enum", []) if choice] or ["slug"]
        own = st.lists(st.sampled_from(choices), max_size=3).map(",".join)
    elif name == "bbox":
        own = st.lists(st.one_of(hostile.odd_numbers, st.floats().map(str)), max_size=5).map(",".join)
    elif schema.get("type") in {"integer", "number"}:
        own = st.one_of(st.integers(0, 200).map(str), hostile.odd_numbers)
    elif schema.get("format") == "date-time":
        own = hostile.extreme_datetimes
    elif schema.get("format") == "date":
        own = hostile.odd_dates
    elif schema.get("type") == "boolean":
        own = hostile.odd_booleans
    elif "enum" in schema or "enum" in items:
        choices = [choice for choice in (schema.get("enum") or items.get("enum")) if choice] or [""]
        own = st.lists(st.sampled_from(choices), min_size=1, max_size=3).map(",".join)
    else:  # a slug, a list of slugs, a country, search words
        every_slug = [slug for slugs in world["slugs"].values() for slug in slugs]
        own = st.lists(st.sampled_from(every_slug), min_size=1, max_size=3).map(",".join)
    return rarely(hostile.odd_text, own)


@st.composite
def query_strings(draw, operation: dict, world: dict):
    """Some of the operation's parameters, each given one to three times, at times one it does not
    know, and at times more parameters than Django reads."""
    declared = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    pairs = []
    for parameter in draw(st.lists(st.sampled_from(declared), max_size=3, unique_by=str)) if declared else []:
        for _ in range(draw(rarely(st.integers(2, 3), st.just(1)))):
            pairs.append((parameter["name"], draw(parameter_values(parameter, world))))
    if draw(st.integers(0, 19)) == 0:
        pairs.append((draw(hostile.odd_text), draw(hostile.odd_text)))
    if draw(st.integers(0, 39)) == 0:
        pairs += [("x", "1")] * (django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    return urlencode(pairs)


@st.composite
def headers(draw, method: str, world: dict):
    """Authorization (a curator's token for most writes, so that their bodies are read), If-Match,
    Accept, and at times a forwarded address or a host that are not one."""
    tokens = [f"Token {world['curator']}", f"Bearer {world['curator']}"]
    if method == "GET":
        authorization = st.one_of(st.none(), st.sampled_from([f"Token {world['reader']}", *tokens]))
    else:
        authorization = st.sampled_from(tokens)
    chosen = {
        "Authorization": draw(rarely(st.one_of(hostile.odd_authorization, st.none()), authorization)),
        "Accept": draw(rarely(hostile.odd_accept)),
        "If-Match": draw(rarely(hostile.odd_if_match)) if method != "GET" else None,
        "If-None-Match": draw(rarely(hostile.odd_if_match)),
        "X-Forwarded-For": draw(rarely(hostile.odd_text)),
        "Host": draw(rarely(rarely(st.just("\u00e9xample..com:99999")))),
    }
    return {name: value for name, value in chosen.items() if value is not None}


def slug_in_path(path: str, world: dict):
    collection = path.split("/")[3]
    own = st.sampled_from(world["slugs"][collection])
    other = st.sampled_from([slug for slugs in world["slugs"].values() for slug in slugs])
    return rarely(st.one_of(other, hostile.odd_text.filter(bool).map(hostile.quoted)), own)


def body_of(method: str, operation: dict, world: dict, own_slug: str | None):
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return st.just(b"")
    slugs = {**world["slugs"], "own": [own_slug] if own_slug else []}
    made = bodies(content["schema"], DOCUMENT, slugs, partial=method == "PATCH")
    return rarely(raw_bodies(), made)


def problem_is_complete(response, accept: str, url: str) -> None:
    """A 4xx is a problem document whose detail says what was wrong (and, for a 400 of several
    values, which ones); a client that asked for HTML (the browsable API) may get its page instead."""
    media_type = response.headers.get("Content-Type", "")
    if media_type.startswith("text/html") and ("html" in accept or "format=api" in url):
        return
    assert media_type.startswith("application/problem+json"), (
        response.status_code,
        media_type,
        response.content,
    )
    problem = json.loads(response.content)
    assert problem["status"] == response.status_code, problem
    assert problem["title"] and isinstance(problem["detail"], str) and problem["detail"].strip(), problem
    for error in problem.get("errors", []):
        assert error["detail"], problem
    if response.status_code == 400 and problem["detail"].startswith("Invalid input"):
        assert problem["errors"] and all(error["attr"] for error in problem["errors"]), problem


class Answer:
    """What the WSGI server would send: status, headers, the whole body (a stream read to its end)."""

    def __init__(self, environ):
        self.headers = {}
        chunks = application(environ, self.start_response)
        try:
            self.content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()

    def start_response(self, status, headers, exc_info=None):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)


def environ_of(method, path, query, headers, body, content_type) -> dict:
    """The WSGI environ a server makes of the request: the path and header bytes decoded as latin-1."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body or content_type:
        environ |= {"CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type}
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value.encode().decode("latin-1")
    return environ


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_input_makes_a_server_error(world, method, path):
    operation = DOCUMENT["paths"][path][method.lower()]
    label = f"{method} {path}"
    cases = CASES.setdefault(label, Counter())
    found = SERVER_ERRORS.setdefault(label, [])

    @settings(
        max_examples=EXAMPLES[method],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def one_request(data):
        slug = data.draw(slug_in_path(path, world), "slug") if "{slug}" in path else None
        url = path.replace("{slug}", slug) if slug else path
        query = data.draw(query_strings(operation, world), "query")
        sent = data.draw(headers(method, world), "headers")
        writes = method in {"POST", "PUT", "PATCH"}
        body = data.draw(body_of(method, operation, world, slug), "body") if writes else b""
        content_type = data.draw(rarely(hostile.odd_content_types, st.just("application/json")), "type")
        content_type = content_type if body else ""
        raised = []
        got_request_exception.connect(receiver := lambda **kwargs: raised.append(traceback.format_exc()))
        try:
            with transaction.atomic():
                try:
                    response = Answer(environ_of(method, url, query, sent, body, content_type))
                except Exception:  # out of Django's handlers: the server's own 500
                    raised.append(traceback.format_exc())
                    response = None
                transaction.set_rollback(True)
        finally:
            got_request_exception.disconnect(receiver)
        status = response.status_code if response else 500
        known = any(marker in text for marker in KNOWN_SERVER_ERRORS.get(label, ()) for text in raised)
        cases["500 known" if known else str(status)] += 1
        if known:
            return
        if status >= 500:
            found.append(raised[-1] if raised else response.content.decode(errors="replace"))
        assert status < 500, raised[-1] if raised else response.content[:500]
        if status >= 400:
            problem_is_complete(response, sent.get("Accept", ""), f"{url}?{query}")

    one_request()
