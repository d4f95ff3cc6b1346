"""Who may do what, for every collection and method: anyone reads; a bad or expired token is refused
even for reading; a token without the model's permissions reads but never writes; a curator writes."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.api_testing import WRITABLE, Writable, token_client

pytestmark = pytest.mark.django_db

# action: (method, addresses a record, a curator's status)
ACTIONS = {
    "list": ("get", False, 200),
    "detail": ("get", True, 200),
    "create": ("post", False, 201),
    "replace": ("put", True, 200),
    "modify": ("patch", True, 200),
    "delete": ("delete", True, 204),
}
READS = {"list", "detail"}
NEW_SLUG = "newly-written"
WRITTEN = "Written through the API"


def client_of(kind: str) -> APIClient:
    if kind == "anonymous":
        return APIClient()
    if kind == "invalid token":
        return token_client("nonsense")
    if kind == "expired token":  # a curator's, so only the expiry can refuse it
        owner = factories.user(curator=True)
        return token_client(factories.token(owner, expiry=timedelta(seconds=-1)))
    return token_client(factories.token(factories.user(curator=kind == "curator")))


def expected_status(kind: str, action: str) -> int:
    if kind in {"invalid token", "expired token"}:
        return 401
    if action in READS:
        return 200
    return {"anonymous": 401, "no permission": 403, "curator": ACTIONS[action][2]}[kind]


def request_body(collection: Writable, action: str, record) -> dict | None:
    if action == "modify":
        return {collection.field: WRITTEN}
    if action in {"create", "replace"}:
        slug = NEW_SLUG if action == "create" else record.slug
        return collection.body() | {"slug": slug, collection.field: WRITTEN}
    return None


def assert_written_or_not(collection: Writable, action: str, record, written: bool):
    model = collection.model
    if action == "delete":
        assert model.objects.filter(pk=record.pk).exists() is not written
        return
    if action == "create":
        assert model.objects.filter(slug=NEW_SLUG).exists() is written
        if not written:
            return
        record = model.objects.get(slug=NEW_SLUG)
    else:
        record.refresh_from_db()
    assert (getattr(record, collection.field) == WRITTEN) is written
    if written and collection.links and action != "modify":
        assert getattr(record, collection.links).count() == 1


@pytest.mark.parametrize("collection", WRITABLE, ids=str)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", ["anonymous", "invalid token", "expired token", "no permission", "curator"])
def test_permission_matrix(collection, action, kind):
    record = collection.make()
    method, on_record, _ = ACTIONS[action]
    url = collection.url(record.slug if on_record else None)
    body = request_body(collection, action, record)
    client = client_of(kind)

    response = getattr(client, method)(url, body, format="json")

    status = expected_status(kind, action)
    assert response.status_code == status, response.content
    if status == 401:
        assert response["WWW-Authenticate"] == "Token"
        assert response["Content-Type"] == "application/problem+json"
    if action in READS and status == 200:
        data = response.json()
        assert ([data["slug"]] if on_record else [r["slug"] for r in data["results"]]) == [record.slug]
    if action not in READS:
        assert_written_or_not(collection, action, record, written=status < 300)
