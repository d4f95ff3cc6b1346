"""Releases: made by curators only, under a name never reused, immutable in the database, their files
served whole (checksums verified on download), cacheable forever, and citable."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from conflictdb.roles import table_privileges
from events.vocabularies import ActorRole
from releases.making import ReleaseError, make_release
from releases.models import Release, ReleaseFile, ReleaseFileChunk
from tests import factories

pytestmark = pytest.mark.django_db

FILES = ["actors.csv", "claims.csv", "events.csv", "places.csv", "records.ndjson", "sources.csv"]


@pytest.fixture
def curator():
    return factories.user(curator=True)


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def ndjson(client, name: str) -> list[dict]:
    body = download(client, f"/api/v1/releases/{name}/files/records.ndjson")
    return [json.loads(line) for line in body.decode().splitlines()]


def test_a_release_lists_its_counts_files_and_citation(api, curator):
    documented = factories.documented_event(claims=3)
    factories.event(slug="synthetic-event-1")  # benchmark data is never released
    make_release(name="2026.1", user=curator, notes="The first.")

    listed = api.get("/api/v1/releases/").json()
    detail = api.get("/api/v1/releases/2026.1/").json()

    assert listed["count"] == 1 and listed["results"] == [detail]
    assert detail["name"] == "2026.1" and detail["notes"] == "The first."
    assert detail["created_by"] == curator.username
    assert detail["counts"] == {"sources": 3, "actors": 5, "places": 2, "events": 1, "claims": 3}
    assert [f["name"] for f in detail["files"]] == FILES
    assert detail["url"] == "http://testserver/api/v1/releases/2026.1/"
    citation = detail["citation"]
    assert "release 2026.1" in citation["text"] and detail["url"] in citation["text"]
    assert (
        citation["bibtex"].startswith("@misc{conflictdb-2026-1,")
        and "version = {2026.1}" in citation["bibtex"]
    )
    assert citation["cff"]["version"] == "2026.1" and citation["cff"]["type"] == "dataset"
    assert citation["cff"]["date-released"] == detail["created_at"][:10]
    events = [line["record"] for line in ndjson(api, "2026.1") if line["collection"] == "events"]
    assert [e["slug"] for e in events] == [documented.slug]


def test_every_file_downloads_whole_with_its_checksum_and_size(api, curator):
    factories.documented_event(claims=3)
    make_release(name="r1", user=curator)

    for file in api.get("/api/v1/releases/r1/").json()["files"]:
        response = api.get(file["url"])
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == file["sha256"], file["name"]
        assert len(body) == file["size"] == int(response["Content-Length"])
        assert response["Content-Type"] == file["media_type"]
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["ETag"] == f'"{file["sha256"]}"'
        again = api.get(file["url"], HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_a_file_larger_than_a_chunk_is_stored_in_chunks_and_served_whole(api, curator, monkeypatch):
    monkeypatch.setattr("releases.making.CHUNK_BYTES", 1000)
    factories.documented_event(claims=3)
    make_release(name="r1", user=curator)
    stored = ReleaseFile.objects.get(name="records.ndjson")

    assert ReleaseFileChunk.objects.filter(file=stored).count() == -(-stored.size // 1000) > 2
    body = download(api, "/api/v1/releases/r1/files/records.ndjson")
    assert hashlib.sha256(body).hexdigest() == stored.sha256


def test_a_collections_csv_is_its_export(api, curator):
    # The release's CSVs group the link lists once and join them (conflictdb/exports.Grouped), the API's
    # export reads them by a subquery a row: relations of both kinds both ways, two actors in one role
    # (ordered by slug, not as written), an event without actors, a claim without relations.
    factories.documented_event(claims=4)
    first, second = factories.actor(slug="b-side"), factories.actor(slug="a-side")
    factories.event(actors=[(first, ActorRole.PERPETRATOR), (second, ActorRole.PERPETRATOR)])
    factories.event(place=None)
    factories.claim()
    make_release(name="r1", user=curator)

    for collection in FILES:
        if collection.endswith(".csv"):
            url = f"/api/v1/{collection.removesuffix('.csv')}/"
            export = b"".join(api.get(url, {"format": "csv"}).streaming_content)
            assert download(api, f"/api/v1/releases/r1/files/{collection}") == export, collection
    events = download(api, "/api/v1/releases/r1/files/events.csv").decode()
    assert "a-side;b-side,Actor a-side;Actor b-side" in events


def test_the_ndjson_holds_every_record_with_its_links(api, curator):
    happened = factories.documented_event(claims=2)
    make_release(name="r1", user=curator)
    lines = ndjson(api, "r1")

    assert [line["collection"] for line in lines] == sorted(
        (line["collection"] for line in lines), key=["sources", "actors", "places", "events", "claims"].index
    )
    event = next(line["record"] for line in lines if line["collection"] == "events")
    assert event["slug"] == happened.slug and event["place"] == happened.place.slug
    assert sorted((a["actor"], a["role"]) for a in event["actors"]) == sorted(
        happened.event_actors.values_list("actor__slug", "role")
    )
    claims = {line["record"]["slug"]: line["record"] for line in lines if line["collection"] == "claims"}
    # The second claim contradicts the first (by the order they were made: "claim-100" sorts before
    # "claim-99").
    first, later = happened.claims.order_by("id").values_list("slug", flat=True)
    assert claims[later]["relations"] == [{"claim": first, "kind": "contradicts", "note": ""}]


def test_a_name_is_never_reused_and_nothing_is_written(curator):
    make_release(name="r1", user=curator)

    with pytest.raises(ReleaseError, match="never reused"):
        make_release(name="r1", user=curator)
    assert Release.objects.count() == 1 and ReleaseFile.objects.count() == len(FILES)


@pytest.mark.parametrize("name", ["", "-r1", "r 1", "r/1", "r1\x00", "x" * 65, "é"])
def test_a_bad_name_is_refused(curator, name):
    with pytest.raises(ReleaseError, match="Bad release name"):
        make_release(name=name, user=curator)
    assert not Release.objects.exists()


def test_only_curators_and_administrators_make_releases():
    with pytest.raises(ReleaseError, match="only curators and administrators"):
        make_release(name="r1", user=factories.user())
    admin = factories.user()
    admin.is_superuser = True
    admin.save()

    make_release(name="r1", user=admin)
    assert Release.objects.get().created_by == admin.username


def test_the_command_makes_a_release_for_a_named_curator(curator, capsys):
    call_command("release", "create", "2026.1", "--user", curator.username, "--notes", "n")

    out = capsys.readouterr().out
    assert out.startswith("release 2026.1 at ") and "records.ndjson" in out
    with pytest.raises(CommandError, match="No user"):
        call_command("release", "create", "2026.2", "--user", "nobody")
    with pytest.raises(CommandError, match="may not make a release"):
        call_command("release", "create", "2026.2", "--user", factories.user().username)
    assert list(Release.objects.values_list("name", flat=True)) == ["2026.1"]


def test_a_releases_creation_is_in_the_history(curator):
    release = make_release(name="r1", user=curator)

    version = release.history.get()
    assert (version.pgh_label, version.name, version.created_by) == ("insert", "r1", curator.username)
    assert version.snapshot == release.snapshot


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE releases_release SET notes = 'changed'",
        "DELETE FROM releases_release",
        "UPDATE releases_releasefile SET sha256 = 'forged'",
        "DELETE FROM releases_releasefile",
        "UPDATE releases_releasefilechunk SET data = 'forged'",
        "DELETE FROM releases_releasefilechunk",
    ],
)
def test_a_release_cannot_be_changed_or_deleted_even_by_the_owner(curator, statement):
    make_release(name="r1", user=curator)

    refused = pytest.raises(DatabaseError, match="releases are immutable")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_servers_role_may_only_read_and_add_releases():
    privileges = table_privileges()

    for table in ["releases_release", "releases_releasefile", "releases_releasefilechunk"]:
        assert privileges[table] == "SELECT, INSERT"
    assert privileges["releases_releaseversion"] == "SELECT"


def test_the_list_costs_two_queries_however_many_releases(api, curator, django_assert_num_queries):
    for name in ["r1", "r2", "r3"]:
        make_release(name=name, user=curator)

    with django_assert_num_queries(3):  # the data version, the releases, their files
        response = api.get("/api/v1/releases/")
    assert [r["name"] for r in response.json()["results"]] == ["r3", "r2", "r1"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/releases/nope/", 404),
        ("/api/v1/releases/r1/files/nope.csv", 404),
        ("/api/v1/releases/nope/files/events.csv", 404),
        ("/api/v1/releases/r1/files/..%2Fevents.csv", 404),
        ("/api/v1/releases/r1/?page=2", 400),
        ("/api/v1/releases/r1/files/events.csv?x=1", 400),
        ("/api/v1/releases/?colour=red", 400),
    ],
)
def test_bad_addresses_and_parameters_are_4xx(api, curator, url, status):
    make_release(name="r1", user=curator)

    response = api.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
