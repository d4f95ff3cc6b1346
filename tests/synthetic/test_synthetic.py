"""The synthetic benchmark dataset: shape, determinism, isolation from the curated data, no history."""

import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from conflictdb.models import SYNTHETIC_PREFIX, PublishedSlug
from conflictdb.past import versions_of
from events.dataset import export, load
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import SUB_EVENT_TYPES, ClaimRelationKind
from sources.models import Source
from synthetic.loading import generate as load_synthetic
from synthetic.removal import remove as remove_synthetic
from synthetic.tables import table_names
from tests import factories
from tests.events.test_summary import recounted, stored

pytestmark = pytest.mark.django_db

EVENTS = 300
SEED = 7
PUBLIC = [Source, Actor, Place, Event, Claim]
TRACKED = [*PUBLIC, EventActor, ClaimRelation]


def generate(*args, **options) -> str:
    out = StringIO()
    call_command("generate_synthetic", *args, stdout=out, **options)
    return out.getvalue()


def synthetic_rows(model):
    return model.objects.filter(slug__startswith=SYNTHETIC_PREFIX)


def digest() -> str:
    """A digest of the synthetic rows' contents, by slug (ids differ from one load to the next)."""
    content = [
        list(
            synthetic_rows(Source).values_list("slug", "title", "kind", "published_on", "reported_in__slug")
        ),
        list(synthetic_rows(Actor).values_list("slug", "name", "kind", "country", "parent__slug", "aliases")),
        list(synthetic_rows(Place).values_list("slug", "name", "country", "admin1", "latitude", "longitude")),
        list(
            synthetic_rows(Event).values_list(
                "slug", "title", "sub_event_type", "start_date", "end_date", "place__slug", "fatalities_best"
            )
        ),
        sorted(
            EventActor.objects.filter(event__slug__startswith=SYNTHETIC_PREFIX).values_list(
                "event__slug", "actor__slug", "role"
            )
        ),
        list(
            synthetic_rows(Claim).values_list(
                "slug", "claimant__slug", "source__slug", "event__slug", "statement", "value", "made_on"
            )
        ),
        sorted(
            ClaimRelation.objects.filter(from_claim__slug__startswith=SYNTHETIC_PREFIX).values_list(
                "from_claim__slug", "to_claim__slug", "kind"
            )
        ),
    ]
    return hashlib.sha256(repr(content).encode()).hexdigest()


def curated_state() -> dict:
    """Every non-synthetic record as it stands, and every version row."""
    state = {
        model.__name__: sorted(
            model.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).values_list("id", "slug", "updated_at")
        )
        for model in PUBLIC
    }
    curated_links = EventActor.objects.exclude(event__slug__startswith=SYNTHETIC_PREFIX)
    curated_relations = ClaimRelation.objects.exclude(from_claim__slug__startswith=SYNTHETIC_PREFIX)
    state["links"] = sorted(curated_links.values_list("id", "event_id", "actor_id", "role")) + sorted(
        curated_relations.values_list("id", "from_claim_id", "to_claim_id", "kind")
    )
    state["versions"] = {model.__name__: versions_of(model).objects.count() for model in TRACKED}
    return state


def index_definitions() -> set:
    """The indexes and constraints of the loaded tables and of the slug register."""
    tables = [*table_names(), PublishedSlug._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables]
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return indexes | set(cursor.fetchall())


@pytest.fixture
def curated():
    load([settings.BASE_DIR / "fixtures"])


def test_shape():
    output = generate(events=EVENTS, seed=SEED)
    assert "total:" in output

    events = synthetic_rows(Event)
    assert events.count() == EVENTS
    actors_per_event = events.annotate(n=Count("event_actors")).values_list("n", flat=True)
    assert min(actors_per_event) >= 1 and max(actors_per_event) <= 3
    claims_per_event = list(events.annotate(n=Count("claims")).values_list("n", flat=True))
    assert min(claims_per_event) >= 1 and max(claims_per_event) <= 5
    assert sum(claims_per_event) / EVENTS >= 2
    assert stored(events) == recounted(events)  # each event's summary written with it, as counted
    assert events.filter(disputed=True).exists()
    relation_kinds = set(ClaimRelation.objects.values_list("kind", flat=True))
    assert relation_kinds == {ClaimRelationKind.CONTRADICTS, ClaimRelationKind.SUPPORTS}

    assert synthetic_rows(Place).values("country").distinct().count() >= 5
    for event_type, sub_event_type in events.values_list("event_type", "sub_event_type").distinct():
        assert sub_event_type == "" or sub_event_type in SUB_EVENT_TYPES[event_type]
    # Skewed like real data: air strikes and battles first; a few places carry many events.
    top_types = events.values("event_type").annotate(n=Count("pk")).order_by("-n")[:2]
    assert {row["event_type"] for row in top_types} == {"explosions_remote_violence", "battles"}
    busiest = Place.objects.annotate(n=Count("events")).order_by("-n").first()
    assert busiest.n > 3 * EVENTS / synthetic_rows(Place).count()

    for model in PUBLIC:  # the database held nothing else
        assert model.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).count() == 0
        assert synthetic_rows(model).filter(search_text="").count() == 0
    for title in Source.objects.values_list("title", flat=True):
        assert title.startswith("Synthetic benchmark source") and "(not real data)" in title


def test_ids_above_existing_and_sequences_moved_past_them(curated):
    before = Event.objects.order_by("-id").first().id
    generate(events=EVENTS, seed=SEED)
    assert synthetic_rows(Event).order_by("id").first().id > before
    # A record written the ordinary way afterwards gets a fresh id.
    created = factories.event()
    assert created.id > synthetic_rows(Event).order_by("-id").first().id


def test_same_seed_same_data():
    generate(events=EVENTS, seed=SEED)
    first = digest()
    generate(remove=True)
    generate(events=EVENTS, seed=SEED)
    assert digest() == first
    generate(events=EVENTS, seed=SEED + 1, replace=True)
    assert digest() != first


def test_rebuilding_indexes_or_not_loads_the_same_rows_and_keeps_every_index(curated):
    indexes = index_definitions()
    report = load_synthetic(events=EVENTS, seed=SEED, rebuild_indexes=True)
    assert report.rebuilt_indexes
    assert index_definitions() == indexes
    rebuilt = digest()
    remove_synthetic()
    load_synthetic(events=EVENTS, seed=SEED, rebuild_indexes=False)
    assert digest() == rebuilt
    assert index_definitions() == indexes


def test_curated_data_untouched_and_no_history_written(curated):
    before = curated_state()
    assert all(before["versions"][model.__name__] for model in PUBLIC)
    generate(events=EVENTS, seed=SEED)
    assert synthetic_rows(Event).count() == EVENTS
    assert curated_state() == before  # version counts included: synthetic rows have no history

    output = generate(remove=True)
    assert f"removed events_event: {EVENTS} rows" in output
    for model in PUBLIC:
        assert not synthetic_rows(model).exists()
    assert not EventActor.objects.filter(event__slug__startswith=SYNTHETIC_PREFIX).exists()
    assert curated_state() == before


def test_removing_synthetic_claims_counts_again_the_events_they_disputed():
    """A curated claim contradicted by a synthetic one (written through the API, say) disputes its event
    until the synthetic data is removed."""
    event = factories.event(slug="curated-event")
    generate(events=EVENTS, seed=SEED)
    factories.claim_relation(
        from_claim=synthetic_rows(Claim).first(),
        to_claim=factories.claim(event=event),
        kind=ClaimRelationKind.CONTRADICTS,
    )
    assert stored(Event.objects.filter(pk=event.pk)) == {"curated-event": (1, True)}

    generate(remove=True)

    assert stored() == recounted() == {"curated-event": (1, False)}


def test_second_run_needs_replace():
    generate(events=EVENTS, seed=SEED)
    with pytest.raises(CommandError, match="--replace"):
        generate(events=EVENTS, seed=SEED)
    output = generate(events=100, seed=SEED, replace=True)
    assert f"removed events_event: {EVENTS} rows" in output
    assert synthetic_rows(Event).count() == 100


def test_at_least_one_event():
    with pytest.raises(CommandError, match="at least 1"):
        generate(events=0, seed=SEED)


def test_search_finds_synthetic_events(api):
    generate(events=EVENTS, seed=SEED)
    event = synthetic_rows(Event).exclude(place=None).order_by("slug").first()
    word = event.place.name  # a made-up name, in the event's title
    assert word in event.title and word in event.search_text
    response = api.get("/api/v1/events/", {"search": word, "page_size": 100})
    assert response.status_code == 200
    assert event.slug in {result["slug"] for result in response.json()["results"]}


def test_export_keeps_synthetic_rows_out_of_the_fixtures(tmp_path):
    load([settings.BASE_DIR / "fixtures"])
    generate("--events", "40", "--seed", "3")
    written = export(tmp_path)
    assert written
    assert not any(SYNTHETIC_PREFIX in path.read_text(encoding="utf-8") for path in written)
    for relative in ("actors.json", "places.json"):
        assert (tmp_path / relative).read_bytes() == (settings.BASE_DIR / "fixtures" / relative).read_bytes()
