"""Relations both ways: a claim shows what it supports and contradicts and what supports and contradicts
it, each with the other claim's claimant and event; an event shows who contests it; the filters that
follow contradictions."""

import csv
import io

import pytest

from events.models import Claim
from events.vocabularies import ClaimRelationKind
from tests import factories
from tests.api_testing import curator_client, error_parameters, results_slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_api():
    return curator_client()


@pytest.fixture
def dispute():
    """A ministry's claim about a strike, contradicted by a monitor's claim filed under another event (the
    monitor's own account of the day) and supported by a second statement."""
    ministry = factories.actor(slug="ministry", name="Defence ministry")
    monitor = factories.actor(slug="monitor", name="The monitor")
    strike, elsewhere = factories.event(slug="strike"), factories.event(slug="monitor-day")
    reported = factories.claim(slug="reported", claimant=ministry, event=strike)
    denied = factories.claim(slug="denied", claimant=monitor, event=elsewhere)
    backed = factories.claim(slug="backed", claimant=ministry, event=None)
    factories.claim_relation(from_claim=denied, to_claim=reported, note="Other rebels hold the area.")
    factories.claim_relation(from_claim=backed, to_claim=reported, kind=ClaimRelationKind.SUPPORTS)
    return {"ministry": ministry, "monitor": monitor, "reported": reported, "denied": denied}


MINISTRY = {"slug": "ministry", "name": "Defence ministry"}
MONITOR = {"slug": "monitor", "name": "The monitor"}
DENIED_IT = {
    "kind": "contradicts",
    "claim": "denied",
    "claimant": MONITOR,
    "event": "monitor-day",
    "note": "Other rebels hold the area.",
}


def by_slug(response) -> dict:
    assert response.status_code == 200, response.content
    return {claim["slug"]: claim for claim in response.json()["results"]}


def test_a_claim_shows_what_it_relates_to_and_what_relates_to_it(api, dispute):
    listed = by_slug(api.get("/api/v1/claims/"))
    detail = api.get("/api/v1/claims/reported/").json()

    backed_it = {"kind": "supports", "claim": "backed", "claimant": MINISTRY, "event": None, "note": ""}
    assert listed["reported"]["relations"] == []
    assert listed["reported"]["related_by"] == [backed_it, DENIED_IT]
    assert detail["related_by"] == listed["reported"]["related_by"]
    assert listed["denied"]["relations"] == [
        {
            "kind": "contradicts",
            "claim": "reported",
            "claimant": MINISTRY,
            "event": "strike",
            "note": "Other rebels hold the area.",
        }
    ]
    assert listed["denied"]["related_by"] == []


def test_an_event_shows_who_contests_it_from_any_event(api, dispute):
    strike = api.get("/api/v1/events/strike/").json()
    elsewhere = api.get("/api/v1/events/monitor-day/").json()

    assert strike["disputed"] is True
    assert strike["contested_by"] == [
        {
            "claim": "reported",
            "contradicted_by": "denied",
            "claimant": MONITOR,
            "event": "monitor-day",
            "note": "Other rebels hold the area.",
        }
    ]
    assert strike["claims"][0]["related_by"][1] == DENIED_IT
    assert elsewhere["contested_by"] == []  # its claim contradicts; nothing contradicts it


def test_a_write_returns_the_relations_both_ways_as_a_read_does(curator_api, dispute):
    response = curator_api.patch("/api/v1/claims/reported/", {"statement": "Changed"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == curator_api.get("/api/v1/claims/reported/").json()
    event = curator_api.patch("/api/v1/events/strike/", {"title": "Changed"}, format="json")
    assert event.json() == curator_api.get("/api/v1/events/strike/").json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"contradicts": "reported"}, ["denied"]),
        ({"contradicts": "denied"}, []),
        ({"contradicted_by": "denied"}, ["reported"]),
        ({"contradicted_by": "backed"}, []),  # it supports
        ({"contradicted": "true"}, ["reported"]),
        ({"contradicted": "false"}, ["backed", "denied"]),
        ({"contradicts": "reported", "contradicted": "false"}, ["denied"]),
    ],
)
def test_claims_filtered_by_contradiction(api, dispute, params, expected):
    assert results_slugs(api.get("/api/v1/claims/", params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"contested_by": "monitor"}, ["strike"]),
        ({"contested_by": "ministry"}, []),  # its claims support, and are contradicted
        ({"contested_by": "ministry,monitor"}, ["strike"]),
    ],
)
def test_events_filtered_by_who_contests_them(api, dispute, params, expected):
    assert results_slugs(api.get("/api/v1/events/", params)) == expected


@pytest.mark.parametrize(
    ("collection", "params", "attr"),
    [
        ("claims", {"contradicts": "no-such-claim"}, "contradicts"),
        ("claims", {"contradicted_by": "no-such-claim"}, "contradicted_by"),
        ("claims", {"contradicted": "maybe"}, "contradicted"),
        ("events", {"contested_by": "no-such-actor"}, "contested_by"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(api, dispute, collection, params, attr):
    assert error_parameters(api.get(f"/api/v1/{collection}/", params)) == {attr}


def test_the_claims_export_gives_the_relations_both_ways(api, dispute):
    response = api.get("/api/v1/claims/", {"format": "csv"})
    rows = {
        row["slug"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    }

    assert (rows["reported"]["supported_by"], rows["reported"]["contradicted_by"]) == ("backed", "denied")
    assert (rows["denied"]["contradicts"], rows["denied"]["supports"]) == ("reported", "")
    assert rows["backed"]["supports"] == "reported"
    assert Claim.objects.count() == len(rows)
