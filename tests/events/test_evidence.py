"""An event's evidence: the claims its fatalities, dates, place and actors' roles rest on, written with it
through the API, the loader and the admin, and the one rule its fatalities keep (events/evidence.py)."""

import json
from datetime import date

import pytest
from django.apps import apps

from events.evidence import EventEvidence
from events.vocabularies import ActorRole, ClaimType, EvidenceFor
from tests import factories
from tests.api_testing import curator_client, error_attrs, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return curator_client()


@pytest.fixture
def strike():
    """An event with one actor, and a casualty count of 12 deaths about it."""
    air_force = factories.actor(slug="air-force")
    event = factories.event(slug="strike", actors=[(air_force, ActorRole.PERPETRATOR)])
    factories.claim(slug="twelve", event=event, claim_type=ClaimType.CASUALTY_COUNT, value=12, unit="deaths")
    return event


def patch(client, event, body):
    return client.patch(f"/api/v1/events/{event.slug}/", body, format="json")


def test_fatalities_and_their_evidence_are_written_and_read_back(curator, strike):
    response = patch(
        curator,
        strike,
        {
            "fatalities_best": 12,
            "evidence": {"fatalities": ["twelve"], "dates": ["twelve"]},
            "actors": [{"actor": "air-force", "role": ActorRole.PERPETRATOR, "evidence": ["twelve"]}],
        },
    )

    assert response.status_code == 200, response.content
    read = curator.get("/api/v1/events/strike/").json()
    assert read["evidence"] == {"fatalities": ["twelve"], "dates": ["twelve"], "place": []}
    assert read["actors"][0]["evidence"] == ["twelve"]
    listed = curator.get("/api/v1/events/", {"page_size": 10}).json()["results"][0]
    assert (listed["evidence"], listed["actors"]) == (read["evidence"], read["actors"])


def test_fatalities_resting_on_no_casualty_claim_are_refused(curator, strike):
    response = patch(curator, strike, {"fatalities_best": 12})

    assert error_attrs(response) == {"evidence.fatalities"}
    assert "none is cited" in problem(response, 400)["errors"][0]["detail"]
    assert not EventEvidence.objects.exists()


@pytest.mark.parametrize(
    ("fatalities", "wrong"),
    [
        ({"fatalities_best": 13}, "fatalities_best"),  # no claim states 13
        ({"fatalities_best": 12, "fatalities_high": 20}, "fatalities_high"),
        ({"fatalities_low": 10, "fatalities_best": 12}, "fatalities_low"),
    ],
)
def test_figures_outside_what_the_cited_claims_state_are_refused(curator, strike, fatalities, wrong):
    response = patch(curator, strike, fatalities | {"evidence": {"fatalities": ["twelve"]}})

    assert error_attrs(response) == {wrong}
    strike.refresh_from_db()
    assert strike.fatalities_best is None


def test_the_best_estimate_may_be_any_figure_a_cited_claim_states(curator, strike):
    factories.claim(
        slug="range",
        event=strike,
        claim_type=ClaimType.CASUALTY_COUNT,
        value_low=10,
        value_high=20,
        unit="deaths",
    )
    factories.claim(
        slug="more-than-30",
        event=strike,
        claim_type=ClaimType.CASUALTY_COUNT,
        value=30,
        value_is_lower_bound=True,
        unit="deaths",
    )
    cited = {"evidence": {"fatalities": ["more-than-30", "range", "twelve"]}}

    for best in (12, 15, 45):
        assert (
            patch(curator, strike, cited | {"fatalities_low": 10, "fatalities_best": best}).status_code == 200
        )
    assert error_attrs(patch(curator, strike, cited | {"fatalities_best": 25})) == {"fatalities_best"}


def test_only_casualty_counts_about_the_event_are_cited_for_its_fatalities(curator, strike):
    factories.claim(slug="strike-report", event=strike, value=12, unit="deaths")
    factories.claim(slug="elsewhere", claim_type=ClaimType.CASUALTY_COUNT, value=12, unit="deaths")

    for slug in ("strike-report", "elsewhere"):
        response = patch(curator, strike, {"evidence": {"fatalities": [slug]}})
        assert error_attrs(response) == {"evidence.fatalities"}
        assert slug in problem(response, 400)["errors"][0]["detail"]


def test_a_new_event_cannot_rest_fatalities_on_claims_not_yet_about_it(curator, strike):
    body = {
        "slug": "new",
        "title": "New",
        "event_type": strike.event_type,
        "start_date": "2015-09-30",
        "end_date": "2015-09-30",
        "date_precision": "day",
        "fatalities_best": 12,
        "evidence": {"fatalities": ["twelve"]},
    }

    assert error_attrs(curator.post("/api/v1/events/", body, format="json")) == {"evidence.fatalities"}


@pytest.mark.parametrize(
    ("evidence", "attr"),
    [
        ({"fatality": ["twelve"]}, "evidence.fatality"),
        ({"dates": ["no-such-claim"]}, "evidence.dates.0"),
        ({"dates": ["twelve", "twelve"]}, "evidence.dates"),
        ({"dates": "twelve"}, "evidence.dates"),
        ([], "evidence.non_field_errors"),
    ],
)
def test_bad_evidence_is_a_400_naming_it(curator, strike, evidence, attr):
    assert error_attrs(patch(curator, strike, {"evidence": evidence})) == {attr}


def test_evidence_left_out_of_a_patch_is_kept_and_a_list_left_out_of_it_emptied(curator, strike):
    patch(curator, strike, {"evidence": {"dates": ["twelve"], "place": ["twelve"]}})
    patch(curator, strike, {"summary": "Changed."})
    assert curator.get("/api/v1/events/strike/").json()["evidence"]["dates"] == ["twelve"]

    patch(curator, strike, {"evidence": {"place": ["twelve"]}})

    assert curator.get("/api/v1/events/strike/").json()["evidence"] == {
        "fatalities": [],
        "dates": [],
        "place": ["twelve"],
    }


def test_evidence_changes_are_in_the_events_history(curator, strike):
    patch(curator, strike, {"evidence": {"dates": ["twelve"]}})

    versions = curator.get("/api/v1/events/strike/history/").json()["results"]

    added = versions[-1]["changes"]["evidence"]["added"]
    assert added == [{"evidence_for": "dates", "claim": "twelve", "actor": None, "role": ""}]
    assert apps.get_model("events", "EventEvidenceVersion").objects.filter(event=strike).count() == 1


def test_a_claim_cited_as_evidence_is_not_deleted(curator, strike):
    patch(curator, strike, {"fatalities_best": 12, "evidence": {"fatalities": ["twelve"]}})

    response = curator.delete("/api/v1/claims/twelve/")

    assert "strike" in json.dumps(problem(response, 409))


def test_removing_an_actor_role_removes_its_evidence(curator, strike):
    role = {"actor": "air-force", "role": ActorRole.PERPETRATOR}
    patch(curator, strike, {"actors": [role | {"evidence": ["twelve"]}]})
    assert EventEvidence.objects.filter(evidence_for=EvidenceFor.ROLE).count() == 1

    patch(curator, strike, {"actors": []})

    assert not EventEvidence.objects.exists()


# The admin ----------------------------------------------------------------------------------------------


def admin_change(admin_client, event, **changes):
    url = f"/admin/events/event/{event.pk}/change/"
    data = factories.admin_form_data(admin_client.get(url)) | changes
    return admin_client.post(url, data)


def evidence_row(index: int, evidence_for: str, claim, actor=None, role="") -> dict:
    row = {"evidence_for": evidence_for, "claim": claim.pk, "actor": actor.pk if actor else "", "role": role}
    return {f"evidence-{index}-{key}": value for key, value in row.items()}


def management(total: int) -> dict:
    return {"evidence-TOTAL_FORMS": total, "evidence-INITIAL_FORMS": 0}


def test_the_admin_refuses_fatalities_without_their_evidence(admin_client, strike):
    response = admin_change(admin_client, strike, fatalities_best=12)

    assert response.status_code == 200  # the form again, with the error
    assert "Fatalities rest on a casualty count" in response.content.decode()
    strike.refresh_from_db()
    assert strike.fatalities_best is None


def test_curators_cite_evidence_in_the_admin(admin_client, strike):
    twelve = strike.claims.get()
    air_force = strike.event_actors.get().actor
    rows = evidence_row(0, EvidenceFor.FATALITIES, twelve) | evidence_row(
        1, EvidenceFor.ROLE, twelve, air_force, ActorRole.PERPETRATOR
    )

    response = admin_change(admin_client, strike, fatalities_best=12, **management(2), **rows)

    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    event = admin_client.get("/api/v1/events/strike/").json()
    assert event["fatalities_best"] == 12
    assert event["evidence"]["fatalities"] == ["twelve"]
    assert event["actors"][0]["evidence"] == ["twelve"]
    page = admin_client.get(f"/admin/events/event/{strike.pk}/change/").content.decode()
    assert "claims its fatalities, dates, place and roles rest on" in page


def test_the_admin_refuses_evidence_for_a_role_the_event_does_not_have(admin_client, strike):
    twelve = strike.claims.get()
    rows = evidence_row(0, EvidenceFor.ROLE, twelve, factories.actor(slug="other"), ActorRole.TARGET)

    response = admin_change(admin_client, strike, **management(1), **rows)

    assert response.status_code == 200
    assert "has no role target in this event" in response.content.decode()
    assert not EventEvidence.objects.exists()


def test_a_figure_outside_the_claims_is_refused_in_the_admin_too(admin_client, strike):
    rows = evidence_row(0, EvidenceFor.FATALITIES, strike.claims.get())

    response = admin_change(admin_client, strike, fatalities_best=40, **management(1), **rows)

    assert response.status_code == 200
    assert "40 is not a figure any cited claim states" in response.content.decode()
    assert strike.start_date == date(2015, 9, 30)


def test_the_claims_cited_over_all_actor_entries_are_bounded_before_any_is_looked_up(curator, strike):
    actors = [
        {"actor": f"actor-{n}", "role": ActorRole.TARGET, "evidence": [f"claim-{n}-{m}" for m in range(101)]}
        for n in range(2)
    ]

    response = patch(curator, strike, {"actors": actors})

    assert error_attrs(response) == {"actors"}
    assert "At most 200 claims" in problem(response, 400)["errors"][0]["detail"]
