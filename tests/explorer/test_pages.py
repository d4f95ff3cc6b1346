"""The explorer's pages through Django's test client, over the curated dataset: what each shows, 404s
for unknown slugs, redirects for renamed ones, and no inline script or style anywhere."""

import re
from html import unescape

import pytest

from events.models import Actor, Claim, ClaimRelation, Event, Place
from events.vocabularies import ClaimRelationKind
from sources.models import Source

HAMA = "2015-russia-strikes-hama"


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:800]
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def words_of(html: str) -> str:
    """The text a reader sees, without the tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def assert_no_inline_code(response):
    """The policy allows the site's own files only, and these pages ask for nothing else."""
    html = response.content.decode().lower()
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert re.search(r"style-src 'self'(;|$)", policy)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # every script is a file
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="http', "")), "another origin"


def record_pages():
    return [
        ("explorer-event", Event),
        ("explorer-actor", Actor),
        ("explorer-place", Place),
        ("explorer-source", Source),
        ("explorer-claim", Claim),
    ]


@pytest.mark.parametrize(("name", "model"), record_pages())
def test_every_record_of_the_curated_data_has_a_page(client, curated, name, model):
    for record in model.objects.all():
        response = client.get(f"/{model._meta.db_table.split('_')[1]}s/{record.slug}/")
        assert response.status_code == 200, record.slug
    assert model.objects.exists()


@pytest.mark.parametrize(("name", "model"), record_pages())
def test_an_unknown_slug_is_a_404_page(client, curated, name, model):
    response = client.get(f"/{model._meta.db_table.split('_')[1]}s/no-such-record/")
    assert response.status_code == 404
    assert "no-such-record" in response.content.decode()


def test_a_renamed_event_redirects_to_its_page(client, curated):
    event = Event.objects.get(slug=HAMA)
    assert event.previous_slugs
    response = client.get(f"/events/{event.previous_slugs[0]}/")
    assert response.status_code == 301
    assert response["Location"] == f"/events/{HAMA}/"


def test_a_renamed_actor_redirects_to_its_page(client, curated):
    actor = Actor.objects.get(slug="russia")
    actor.slug = "russian-federation"
    actor.save()
    response = client.get("/actors/russia/")
    assert response.status_code == 301
    assert response["Location"] == "/actors/russian-federation/"


def test_the_hama_page_says_who_contests_it_and_with_which_claim(client, curated):
    text = text_of(client.get(f"/events/{HAMA}/"))
    contradiction = ClaimRelation.objects.filter(
        to_claim__event__slug=HAMA, kind=ClaimRelationKind.CONTRADICTS
    ).select_related("from_claim__claimant", "to_claim")
    assert contradiction.exists()
    assert "Who contests it" in text
    for relation in contradiction:
        assert f"{relation.from_claim.claimant.name} contradicts {relation.to_claim.slug} with" in words_of(
            text
        )
        # The contradicting claim sits on another event: said, and linked.
        assert relation.from_claim.event.slug != HAMA
        assert f'href="/events/{relation.from_claim.event.slug}/"' in text
    assert "disputed" in text


def test_an_event_page_shows_what_where_when_and_who_says_what(client, curated):
    event = Event.objects.select_related("place").get(slug=HAMA)
    text = text_of(client.get(f"/events/{HAMA}/"))
    assert event.title in text
    assert event.place.name in text and "First administrative division" in text  # precision, in words
    assert f"{event.start_date} to {event.end_date}" in text
    for link in event.event_actors.select_related("actor"):
        assert f"{link.actor.name}</a>: {link.get_role_display()}" in text
    for claim in event.claims.select_related("claimant", "source"):
        assert f'id="claimant-{claim.claimant.slug}"' in text
        assert claim.statement in text and claim.source.title in text
        assert claim.get_status_display() in text
    assert f'href="/api/v1/events/{HAMA}/"' in text
    assert f'href="/api/v1/events/{HAMA}/history/"' in text


def test_an_event_page_names_the_claims_its_fatalities_rest_on(client, curated):
    event = Event.objects.filter(fatalities_best__isnull=False).first()
    text = text_of(client.get(f"/events/{event.slug}/"))
    cited = event.evidence.filter(evidence_for="fatalities").select_related("claim")
    assert cited.exists()
    assert f"best {event.fatalities_best}" in text
    for evidence in cited:
        assert f'<a href="/claims/{evidence.claim.slug}/">{evidence.claim.slug}</a>' in text
    quoted = event.claims.exclude(quote="").first()
    assert quoted is None or f"“{quoted.quote}”" in text


def test_a_claim_page_shows_what_contradicts_it_both_ways(client, curated):
    relation = ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS).select_related(
        "from_claim__claimant", "to_claim__claimant"
    )[0]
    to_text = text_of(client.get(f"/claims/{relation.to_claim.slug}/"))
    assert f"{relation.from_claim.claimant.name}</a> <strong>contradicts</strong> this claim" in to_text
    from_text = text_of(client.get(f"/claims/{relation.from_claim.slug}/"))
    assert (
        f'This claim <strong>contradicts</strong> <a href="/claims/{relation.to_claim.slug}/">' in from_text
    )


def test_an_actor_page_lists_its_events_and_claims(client, curated):
    actor = Actor.objects.get(slug="russia")
    text = text_of(client.get("/actors/russia/"))
    for link in actor.event_roles.select_related("event"):
        assert link.event.title in text
    for claim in actor.claims_made.all():
        assert claim.statement in text
    assert 'href="/?actor=russia"' in text and 'href="/?claimant=russia"' in text


def test_a_place_page_lists_its_events(client, curated):
    place = Place.objects.filter(events__isnull=False).distinct().first()
    text = text_of(client.get(f"/places/{place.slug}/"))
    for event in place.events.all():
        assert event.title in text
    assert place.get_geo_precision_display() in text


def test_a_source_page_lists_the_claims_it_and_its_reports_carry(client, curated):
    article = Source.objects.filter(reported_sources__isnull=False).distinct().first()
    text = text_of(client.get(f"/sources/{article.slug}/"))
    for reported in article.reported_sources.all():
        assert reported.title in text
        for claim in reported.claims.all():
            assert claim.statement in text


@pytest.mark.parametrize("path", ["/", f"/events/{HAMA}/", "/actors/russia/", "/?country=SYR"])
def test_no_page_has_inline_script_or_style_or_another_origin(client, curated, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_no_inline_code(response)
