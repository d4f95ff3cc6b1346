"""Writes save only what changed: a record written as it is leaves no version, a change of its links
leaves the link rows' versions and none of its own, and a link item is whole in every write."""

import pytest
from django.apps import apps

from conflictdb.changes import version_models
from events.models import Claim
from events.vocabularies import ActorRole, ClaimRelationKind
from tests import factories
from tests.api_testing import curator_client, error_attrs

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return curator_client()


def version_count() -> int:
    return sum(model.objects.count() for model in version_models())


def test_patching_relations_without_a_note_writes_them_with_an_empty_note(curator):
    claim, other = factories.claim(), factories.claim()
    relations = [{"claim": other.slug, "kind": ClaimRelationKind.CONTRADICTS}]

    response = curator.patch(f"/api/v1/claims/{claim.slug}/", {"relations": relations}, format="json")

    assert response.status_code == 200, response.content
    [written] = response.json()["relations"]
    assert (written["kind"], written["claim"], written["note"]) == ("contradicts", other.slug, "")
    assert list(claim.relations.values_list("to_claim", "kind", "note")) == [(other.pk, "contradicts", "")]


def test_patching_an_actor_role_without_its_actor_is_a_400_naming_it(curator):
    event = factories.event(actors=[(factories.actor(), ActorRole.PERPETRATOR)])

    response = curator.patch(f"/api/v1/events/{event.slug}/", {"actors": [{"role": "target"}]}, format="json")

    assert error_attrs(response) == {"actors.0.actor"}
    assert event.event_actors.get().role == ActorRole.PERPETRATOR


@pytest.mark.parametrize(
    ("collection", "record"),
    [("actors", factories.actor), ("events", factories.event), ("claims", factories.claim)],
)
def test_writing_a_record_as_it_is_leaves_no_version_and_its_etag(curator, collection, record):
    made = record()
    url = f"/api/v1/{collection}/{made.slug}/"
    read = curator.get(url)
    before = version_count()

    written = curator.patch(url, {"slug": made.slug}, format="json")

    assert written.status_code == 200, written.content
    assert written["ETag"] == read["ETag"]
    assert version_count() == before


def test_changing_only_an_events_actors_is_one_version_of_the_event_showing_that_change(curator):
    kept, added = factories.actor(), factories.actor()
    event = factories.event(actors=[(kept, ActorRole.PERPETRATOR)])
    own_versions = event.history.count()
    etag = curator.get(f"/api/v1/events/{event.slug}/")["ETag"]
    roles = apps.get_model("events", "EventActorVersion").objects.filter(event=event)
    before = roles.count()
    actors = [{"actor": kept.slug, "role": "perpetrator"}, {"actor": added.slug, "role": "target"}]

    response = curator.patch(f"/api/v1/events/{event.slug}/", {"actors": actors}, format="json")

    assert response.status_code == 200, response.content
    assert response["ETag"] != etag  # the event as read changed: its actors are part of it
    assert event.history.count() == own_versions + 1
    assert list(roles.order_by("pgh_id")[before:].values_list("pgh_label", "actor", "role")) == [
        ("insert", added.pk, "target")
    ]
    latest = curator.get(f"/api/v1/events/{event.slug}/history/").json()["results"][-1]
    assert latest["changes"] == {
        "actors": {"added": [{"actor": added.slug, "role": "target"}], "removed": []}
    }


def test_a_changed_note_is_the_only_relation_rewritten(curator):
    claim, first, second = factories.claim(), factories.claim(), factories.claim()
    for other in (first, second):
        factories.claim_relation(from_claim=claim, to_claim=other, note="As reported.")
    relations = [
        {"claim": first.slug, "kind": "contradicts", "note": "As reported."},
        {"claim": second.slug, "kind": "contradicts", "note": "Denied the next day."},
    ]
    versions = apps.get_model("events", "ClaimRelationVersion").objects.filter(from_claim=claim)
    before = versions.count()

    response = curator.patch(f"/api/v1/claims/{claim.slug}/", {"relations": relations}, format="json")

    assert response.status_code == 200, response.content
    assert {(v.pgh_label, v.to_claim_id) for v in versions.order_by("pgh_id")[before:]} == {
        ("delete", second.pk),
        ("insert", second.pk),
    }
    assert Claim.objects.get(pk=claim.pk).relations.get(to_claim=second).note == "Denied the next day."
