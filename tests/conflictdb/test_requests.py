"""Requests the property-based test of hostile input (test_hostile_input.py) found a 500 or an
unnamed 400 for, each answered as a 400 problem that names what was wrong."""

import io
import json

import pytest
from django.core.exceptions import TooManyFieldsSent

from conflictdb.asgi import application as asgi_application
from conflictdb.wsgi import application
from events.models import ClaimRelation
from tests import factories
from tests.api_testing import curator_client, error_attrs, problem
from tests.conflictdb.test_schemathesis import keep_the_test_connection  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def served(query: str, content_type: str) -> tuple[str, dict]:
    """The status and body the WSGI server sends for a GET of the events with `query`."""
    answer = {}
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/events/",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    body = b"".join(application(environ, lambda status, headers: answer.update(status=status)))
    return answer["status"], json.loads(body)


def test_too_many_query_parameters_beside_a_charset_are_a_400_from_the_server(settings):
    """Django reads the query while it builds the request when the Content-Type names a charset: too
    many parameters raised before any handler could answer, and the server sent its own 500."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    status, body = served("&".join(["country=SYR"] * 21), "text/plain; charset=utf-8")
    assert status.startswith("400")
    assert "Too many query parameters" in body["detail"]


def test_an_asgi_request_with_too_many_query_parameters_is_built_and_refused_when_read(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/events/",
        "query_string": "&".join(["country=SYR"] * 21).encode(),
        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
    }
    request = asgi_application.request_class(scope, io.BytesIO())
    with pytest.raises(TooManyFieldsSent):
        request.GET  # noqa: B018 (reading it is the point)


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/changes/", "/api/v1/actors/afp/"])
def test_a_query_parameter_without_a_name_is_named_in_the_400(api, path):
    response = api.get(f"{path}?=x")
    assert error_attrs(response) == {"(no name)"}
    assert problem(response, 400)["detail"] == "Invalid input: (no name)."


def test_a_nameless_parameter_holding_a_nul_is_named_in_the_400(api):
    assert error_attrs(api.get("/api/v1/actors/afp/?=%00")) == {"(no name)"}


def test_a_body_field_without_a_name_is_named_in_the_400():
    actor = factories.actor()
    response = curator_client().patch(f"/api/v1/actors/{actor.slug}/", {"": "x"}, format="json")
    assert error_attrs(response) == {"(no name)"}


# In a PATCH, DRF would skip the required fields of nested items too (they look to the root's `partial`):
# an actor without its role, a relation without its note were a KeyError, a 500. The item serializers
# (events/api/serializers.py, LinkInputSerializer) check every item whole.


def test_a_patch_whose_actor_has_no_role_is_a_400_naming_actors():
    event = factories.event()
    actor = factories.actor()
    response = curator_client().patch(
        f"/api/v1/events/{event.slug}/", {"actors": [{"actor": actor.slug}]}, format="json"
    )
    assert error_attrs(response) == {"actors.0.role"}


def test_a_patch_whose_relation_has_no_note_saves_it_with_an_empty_note():
    claim, other = factories.claim(), factories.claim()
    response = curator_client().patch(
        f"/api/v1/claims/{claim.slug}/",
        {"relations": [{"claim": other.slug, "kind": "supports"}]},
        format="json",
    )
    assert response.status_code == 200
    assert [(r.to_claim, r.note) for r in ClaimRelation.objects.filter(from_claim=claim)] == [(other, "")]
