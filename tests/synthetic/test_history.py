"""The synthetic records' history: versions written in bulk, the generations of edits, their removal."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from bench.releases import PROMOTED, promote
from conflictdb.models import SYNTHETIC_PREFIX, PublishedSlug
from conflictdb.past import versions_of
from events.dataset import load
from events.models import Claim, Event
from releases.making import make_release
from synthetic import generations
from synthetic.history import LABELS, context, tracked_columns, write_versions
from synthetic.tables import TRACKED, table_names, without_history
from tests import factories
from tests.api_testing import curator_client
from tests.events.test_summary import recounted, stored
from tests.events.test_tallies import assert_counted_as_from_scratch
from tests.releases.test_between import administrator
from tests.synthetic.test_synthetic import curated_state

pytestmark = pytest.mark.django_db

EVENTS = 300
SEED = 7
# What differs between two writes of the same version (which row, when, in which transaction, by whom).
UNCOMPARED = {"pgh_id", "pgh_created_at", "pgh_xid", "pgh_context_id"}


def generate(*args, **options) -> str:
    out = StringIO()
    call_command("generate_synthetic", *args, stdout=out, **options)
    return out.getvalue()


def versions(model, after: int = 0, ids: list[int] | None = None) -> list[tuple]:
    """The model's version rows after `after` (a pgh_id), or of `ids`, as comparable tuples, sorted."""
    table = versions_of(model)._meta.db_table
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"SELECT * FROM {table} WHERE pgh_id > %s", [after])
        else:
            cursor.execute(f"SELECT * FROM {table} WHERE pgh_id = ANY(%s)", [ids])
        names = [column.name for column in cursor.description]
        kept = [i for i, name in enumerate(names) if name not in UNCOMPARED]
        return sorted((tuple(row[i] for i in kept) for row in cursor.fetchall()), key=repr)


def last_version_ids() -> dict:
    """Each tracked model's last version row (its pgh_id), 0 for none."""
    return {
        model: versions_of(model).objects.aggregate(last=Max("pgh_id", default=0))["last"]
        for model in TRACKED
    }


def sequences() -> list[tuple]:
    """Each tracked table's id sequence (`setval` arguments): a savepoint's rollback leaves them moved."""
    with connection.cursor() as cursor:
        found = []
        for table in table_names():
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            found.append((sequence, *cursor.fetchone()))
        return found


def restore(saved: list[tuple]) -> None:
    with connection.cursor() as cursor:
        for sequence, value, called in saved:
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, called])


def written_twice(write_through_triggers, write_in_bulk) -> tuple[dict, dict]:
    """The versions each way of writing the same change writes, from the same state, each rolled back."""
    before, saved, written = last_version_ids(), sequences(), []
    for write in (write_through_triggers, write_in_bulk):
        with transaction.atomic():
            write()
            written.append({model: versions(model, before[model]) for model in TRACKED})
            transaction.set_rollback(True)
        restore(saved)
    return written[0], written[1]


def test_a_version_has_every_column_of_its_table_that_pghistory_tracks():
    for model in TRACKED:
        own = {field.column for field in model._meta.concrete_fields}
        derived = {"search_names", "search_text", "claim_count", "disputed"}
        assert set(tracked_columns(model)) == own - derived, model


def test_bulk_versions_are_those_the_triggers_wrote():
    """The curated dataset, loaded through the triggers: each record's latest version, written again in
    bulk from its row with the same label, is the same row but for which row, when, and by whom."""
    load([settings.BASE_DIR / "fixtures"])
    for model in TRACKED:
        latest = {}  # each record's latest version, through the triggers
        for version in versions_of(model).objects.order_by("pgh_created_at", "pgh_id"):
            latest[version.pgh_obj_id] = version
        written = [v for v in latest.values() if v.pgh_label != "delete"]
        assert written, model
        before = last_version_ids()[model]
        with transaction.atomic(), connection.cursor() as cursor:
            context_id = context(cursor, "test", {"command": "test"})
            for label in LABELS:
                ids = [v.pgh_obj_id for v in written if v.pgh_label == label]
                write_versions(cursor, model, label, "id = ANY(%s)", [ids], context_id=context_id)
            assert versions(model, before) == versions(model, ids=[v.pgh_id for v in written])
            transaction.set_rollback(True)


def test_a_generation_in_bulk_writes_the_versions_its_triggers_would():
    generate(events=EVENTS, seed=SEED)
    counts = []

    def through_triggers():
        with connection.cursor() as cursor:
            counts.append(generations.edit(cursor, 1, bulk=False))

    def in_bulk():
        with without_history(*LABELS) as cursor:
            counts.append(generations.edit(cursor, 1))

    triggers, bulk = written_twice(through_triggers, in_bulk)
    assert counts[0] == {**counts[1], "versions": 0}
    for kind in ("amended", "revised", "restated", "deleted", "events recorded", "claims recorded"):
        assert counts[1][kind] > 0, kind
    assert counts[1]["versions"] == sum(len(rows) for rows in bulk.values())
    assert {model: {row[LABEL] for row in rows} for model, rows in triggers.items()}[Event] == set(LABELS)
    assert bulk == triggers


LABEL = 0  # the column pgh_label's place in a compared version row (after the uncompared ones)


def moments(number: int) -> tuple:
    """The first and last time of the versions of a generation of the history."""
    found = versions_of(Event).objects.filter(pgh_context__metadata__generation=number)
    span = found.aggregate(first=Min("pgh_created_at"), last=Max("pgh_created_at"))
    return span["first"], span["last"]


def test_the_history_and_reads_of_the_past_show_the_generations(api):
    output = generate(events=1000, seed=SEED, history=3)  # enough for a few events deleted and created
    assert "history generation 3:" in output and "version rows" in output
    _, end_of_first = moments(1)
    start_of_second, _ = moments(2)
    assert end_of_first < start_of_second
    between = (end_of_first + (start_of_second - end_of_first) / 2).isoformat()
    second = versions_of(Event).objects.filter(pgh_context__metadata__generation=2)

    amended = second.filter(pgh_label="update", title__endswith="(revision 2)").first()
    earlier = versions_of(Event).objects.filter(pgh_obj_id=amended.pgh_obj_id, pgh_created_at__lt=between)
    earlier_title = earlier.order_by("-pgh_created_at").first().title
    assert earlier_title != amended.title
    deleted = second.filter(pgh_label="delete").first()
    created = second.filter(pgh_label="insert").first()
    assert created.slug.startswith(SYNTHETIC_PREFIX) and created.slug.endswith("-g2")
    assert Event.objects.get(slug=created.slug).claims.exists()

    # Live reads first: a read of the past sets the search_path of the test's one transaction.
    assert api.get(f"/api/v1/events/{amended.slug}/").json()["title"] == amended.title
    assert api.get(f"/api/v1/events/{deleted.slug}/").status_code == 404
    assert api.get(f"/api/v1/events/{created.slug}/").status_code == 200
    history = curator_client().get(f"/api/v1/events/{amended.slug}/history/").json()["results"]
    assert history[0]["action"] == "create" and history[0]["command"] == "generate_synthetic"
    titles = [version["data"]["title"] for version in history]
    assert earlier_title in titles and titles[-1] == amended.title
    assert history[titles.index(amended.title)]["changes"]["title"] == {
        "from": earlier_title,
        "to": amended.title,
    }

    past = api.get(f"/api/v1/events/{amended.slug}/", {"as_of": between})
    assert past.status_code == 200 and past.json()["title"] == earlier_title
    past = api.get(f"/api/v1/events/{deleted.slug}/", {"as_of": between})
    assert past.status_code == 200 and past.json()["title"] == deleted.title
    assert api.get(f"/api/v1/events/{created.slug}/", {"as_of": between}).status_code == 404


def test_generations_keep_summaries_tallies_and_search_right():
    generate(events=EVENTS, seed=SEED, history=3)
    assert stored() == recounted()
    assert_counted_as_from_scratch()
    amended = Event.objects.filter(title__endswith="(revision 3)").first()
    assert "(revision 3)" in amended.search_text


def test_removal_takes_the_synthetic_versions_and_leaves_the_curated_ones():
    load([settings.BASE_DIR / "fixtures"])
    before = curated_state()
    generate(events=EVENTS, seed=SEED, history=3)
    assert all(curated_state()["versions"][m.__name__] > before["versions"][m.__name__] for m in TRACKED)
    generate(events=EVENTS, seed=SEED + 1, replace=True, history=2)
    output = generate(remove=True)
    assert "removed events_eventversion:" in output
    assert curated_state() == before
    for model in (Event, Claim):
        assert not versions_of(model).objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists()


def promoted_rows(model) -> list[tuple]:
    """The promoted rows of `model`: what a rename's row triggers write (the search columns recomputed)."""
    return list(
        model.objects.filter(slug__startswith=PROMOTED)
        .order_by("id")
        .values_list("id", "slug", "previous_slugs", "search_names", "search_text")
    )


def index_definitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid IN ('events_event'::regclass, 'events_claim'::regclass) ORDER BY 1"
        )
        return [definition for (definition,) in cursor.fetchall()]


# A few of the events, and most of them (the tables' secondary indexes then built again after the rename).
@pytest.mark.parametrize("events", [40, 200])
def test_promoting_writes_the_versions_the_triggers_would(events):
    generate(events=EVENTS, seed=SEED, history=1)
    indexes = index_definitions()
    registers, rows = [], []

    def promoted(**options):
        promote(events, **options)
        registers.append(sorted(PublishedSlug.objects.values_list("kind", "slug", "record_id")))
        rows.append([promoted_rows(model) for model in (Event, Claim)])

    triggers, bulk = written_twice(lambda: promoted(through_triggers=True), promoted)
    assert len(triggers[Event]) == events and len(triggers[Claim]) > events
    assert bulk == triggers  # previous slugs included
    assert registers[0] == registers[1]
    assert rows[0] == rows[1] and len(rows[1][0]) == events  # search columns included
    assert sum(slug.startswith(PROMOTED) for _, slug, _ in registers[1]) == events + len(triggers[Claim])
    promote(events)
    assert Event.objects.filter(slug__startswith=PROMOTED).count() == events
    renamed = Event.objects.filter(slug__startswith=PROMOTED).first()
    assert renamed.previous_slugs == [SYNTHETIC_PREFIX + renamed.slug.removeprefix(PROMOTED)]
    assert renamed.history.order_by("-pgh_id").first().slug == renamed.slug
    assert index_definitions() == indexes


def test_promoting_without_versions_writes_none():
    generate(events=EVENTS, seed=SEED)
    before = last_version_ids()
    promote(40, versions=False)
    assert Event.objects.filter(slug__startswith=PROMOTED).count() == 40
    assert last_version_ids() == before


def test_a_release_leaves_the_synthetic_records_out_and_a_moment_has_them(api):
    factories.documented_event(claims=1, slug="curated-event")
    generate(events=EVENTS, seed=SEED, history=1)
    make_release(name="with-synthetic", user=administrator())
    everything = Event.objects.count()
    assert everything > EVENTS
    synthetic = Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX).first().slug

    at_release = api.get("/api/v1/events/", {"release": "with-synthetic", "page_size": 500}).json()
    assert [event["slug"] for event in at_release["results"]] == ["curated-event"]
    claims = api.get("/api/v1/claims/", {"release": "with-synthetic", "page_size": 500}).json()["results"]
    assert claims and not any(claim["slug"].startswith(SYNTHETIC_PREFIX) for claim in claims)
    assert api.get(f"/api/v1/events/{synthetic}/", {"release": "with-synthetic"}).status_code == 404
    now = timezone.now().isoformat()
    assert api.get("/api/v1/events/", {"as_of": now, "page_size": 1}).json()["count"] == everything


def test_a_generation_deletes_no_event_a_curated_record_depends_on():
    generate(events=1000, seed=SEED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM events_event WHERE {generations.bucket(1)} >= {generations.CHOSEN['deleted'][0]}"
            " AND claim_count > 0 ORDER BY id"
        )
        doomed = [row[0] for row in cursor.fetchall()]
    assert len(doomed) >= 3
    related, cited, other = (Event.objects.get(pk=pk) for pk in doomed[:3])
    curated = factories.claim(event=factories.event(slug="curated-event"))
    relation = factories.claim_relation(from_claim=curated, to_claim=related.claims.first())
    factories.claim(event=cited)  # a curated claim about a synthetic event

    generations.commit(1)

    assert Event.objects.filter(pk__in=[related.pk, cited.pk]).count() == 2
    assert not Event.objects.filter(pk=other.pk).exists()
    relation.refresh_from_db()
    assert stored() == recounted()
