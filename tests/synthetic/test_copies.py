"""`generate_synthetic --copies K`: the events derived once, then copied by PostgreSQL with their own ids,
slugs and references (synthetic/copies.py)."""

import pytest
from django.core.management.base import CommandError
from django.db.models import Count, F, Sum

from conflictdb.models import SYNTHETIC_PREFIX, PublishedSlug, SearchWord
from conflictdb.past import versions_of
from events.models import Claim, ClaimRelation, Event, EventActor
from events.tallies import EventYearTally
from synthetic.loading import generate as load_synthetic
from synthetic.removal import remove as remove_synthetic
from tests import factories
from tests.events.test_summary import recounted, stored
from tests.events.test_tallies import assert_counted_as_from_scratch
from tests.synthetic.test_synthetic import generate, synthetic_rows

pytestmark = pytest.mark.django_db

EVENTS = 120
SEED = 5
COPIES = 3


def number(slug: str) -> int:
    return int(slug.rsplit("-", 1)[1])


def event_state(event: Event, shift: int) -> tuple:
    """An event as its copies share it: its contents, its actors, its claims (slug numbers less `shift`)
    and the relations between them."""
    claims = event.claims.order_by("slug")
    relations = ClaimRelation.objects.filter(from_claim__event=event).order_by("from_claim__slug")
    return (
        event.title,
        event.summary,
        event.event_type,
        event.start_date,
        event.end_date,
        event.place_id,
        event.fatalities_best,
        event.claim_count,
        event.disputed,
        event.search_text,
        sorted(event.event_actors.values_list("actor_id", "role")),
        [
            (number(c.slug) - shift, c.statement, c.claimant_id, c.source_id, c.about_actor_id, c.value)
            for c in claims
        ],
        [(number(r.from_claim.slug) - shift, number(r.to_claim.slug) - shift, r.kind) for r in relations],
    )


def test_copies_are_the_load_again_with_their_own_ids_slugs_and_references():
    factories.event(slug="curated-event")
    output = generate(events=EVENTS, seed=SEED, copies=COPIES)
    assert "copies:" in output
    events = synthetic_rows(Event)
    assert events.count() == EVENTS * COPIES
    claims_per_copy = synthetic_rows(Claim).count() // COPIES
    assert synthetic_rows(Claim).count() == claims_per_copy * COPIES
    slugs = set(events.values_list("slug", flat=True))
    assert slugs == {f"{SYNTHETIC_PREFIX}event-{n}" for n in range(1, EVENTS * COPIES + 1)}

    originals = {number(e.slug): e for e in events if number(e.slug) <= EVENTS}
    for copy in range(1, COPIES):
        for n in (1, 2, EVENTS // 2, EVENTS):
            event = events.get(slug=f"{SYNTHETIC_PREFIX}event-{n + copy * EVENTS}")
            original = originals[n]
            assert event.id == original.id + copy * EVENTS
            assert event_state(event, copy * claims_per_copy) == event_state(original, 0)
            if original.part_of_id:
                assert event.part_of_id == original.part_of_id + copy * EVENTS
    # Each copy's links and relations stay within the copy: every claim's event, every relation's two
    # claims, in the same copy.
    for claim in synthetic_rows(Claim).select_related("event"):
        assert (number(claim.slug) - 1) // claims_per_copy == (number(claim.event.slug) - 1) // EVENTS
    assert not ClaimRelation.objects.exclude(from_claim__event=F("to_claim__event")).exists()
    assert stored(events) == recounted(events)
    assert_counted_as_from_scratch()  # the tallies, counted again after the copies, count every copy
    assert EventYearTally.objects.aggregate(n=Sum("events"))["n"] == Event.objects.count()

    # The slug register has every copy's slugs; the vocabulary is the load's; the sequences moved on.
    assert PublishedSlug.objects.filter(kind=Event._meta.db_table, slug__in=slugs).count() == len(slugs)
    created = factories.event()
    assert created.id > events.order_by("-id").first().id
    assert factories.claim(event=created).id > synthetic_rows(Claim).order_by("-id").first().id


def test_copies_add_no_word_and_a_search_finds_k_times_the_records(api):
    load_synthetic(events=EVENTS, seed=SEED)
    words = set(SearchWord.objects.values_list("word", flat=True))
    name = synthetic_rows(Event).exclude(place=None).order_by("id").first().place.name

    def found() -> int:
        response = api.get("/api/v1/events/", {"search": name, "page_size": 1})
        assert response.status_code == 200
        return response.json()["count"]

    once = found()
    remove_synthetic()
    load_synthetic(events=EVENTS, seed=SEED, copies=COPIES)
    assert set(SearchWord.objects.values_list("word", flat=True)) == words
    assert once >= 1 and found() == COPIES * once


def test_with_indexes_kept_or_rebuilt_and_with_a_history():
    report = load_synthetic(events=EVENTS, seed=SEED, copies=2, rebuild_indexes=False, history=1)
    assert not report.rebuilt_indexes
    assert report.rows[Event._meta.db_table] == 2 * EVENTS
    # Every copy's row has its creation version, the generation's edits reaching copies too.
    creations = versions_of(Event).objects.filter(pgh_label="insert", slug__startswith=SYNTHETIC_PREFIX)
    assert creations.values("pgh_obj_id").distinct().count() >= 2 * EVENTS
    assert EventActor.objects.filter(event__slug__startswith=SYNTHETIC_PREFIX).aggregate(n=Count("id"))["n"]
    remove_synthetic()
    assert not synthetic_rows(Event).exists()
    assert not versions_of(Event).objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists()


def test_copies_at_least_one():
    with pytest.raises(CommandError, match="--copies"):
        generate(events=EVENTS, seed=SEED, copies=0)
