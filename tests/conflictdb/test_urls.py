"""The API's root, schema and docs are served."""

import pytest

COLLECTIONS = ["events", "actors", "places", "claims", "sources"]


@pytest.mark.django_db
def test_the_root_lists_every_collection(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    assert sorted(response.json()) == sorted(COLLECTIONS)


@pytest.mark.django_db
def test_the_schema_describes_every_collection_and_record(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for collection in COLLECTIONS:
        assert f"/api/v1/{collection}/" in paths
        assert f"/api/v1/{collection}/{{slug}}/" in paths
