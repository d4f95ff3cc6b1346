"""The synthetic load and a promotion fire no row trigger of their operation, write what they would have
written, and enable them again."""

import pytest
from django.db import connection

from bench import releases
from conflictdb.models import SYNTHETIC_PREFIX, SearchWord
from conflictdb.search import search, search_columns
from events.models import Event
from synthetic import loading, tables
from synthetic.columns import search_sources, search_values
from synthetic.loading import generate
from synthetic.tables import PUBLIC, table_names

pytestmark = pytest.mark.django_db

EVENTS = 200
SEED = 5
RENAMED = ("events_claim", "events_event")  # the tables a promotion renames rows of


def trigger_states(row: bool) -> dict[tuple[str, str], str]:
    """{(table, trigger): pg_trigger.tgenabled} of the tables' row (or statement) user triggers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
            " WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal AND (tgtype & 1 = 1) = %s",
            [table_names(), row],
        )
        return {(table, name): enabled for table, name, enabled in cursor.fetchall()}


def test_search_columns_written_as_the_trigger_computes_them():
    generate(events=EVENTS, seed=SEED)
    for model in PUBLIC:
        names, texts = search_sources(model)
        computed = search_columns(names, texts, row="t")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), count(*) FILTER (WHERE (t.search_names, t.search_text)"
                f" IS DISTINCT FROM ({computed['search_names']}, {computed['search_text']}))"
                f" FROM {model._meta.db_table} t WHERE t.slug LIKE %s",
                [f"{SYNTHETIC_PREFIX}%"],
            )
            rows, different = cursor.fetchone()
        assert rows and not different, model.__name__


@pytest.mark.parametrize(
    "text, array",
    [("Kalumbar", ["Qalumbar", None, "Al-Kalumbar"]), (None, None), ("", []), (None, [None, ""])],
)
def test_missing_values_and_arrays_joined_as_the_trigger_joins_them(text, array):
    """Every text column `text`, every array column `array`: as PostgreSQL computes the trigger's SQL."""
    for model in PUBLIC:
        names, texts = search_sources(model)
        sources = [(c.removesuffix("[]"), c.endswith("[]")) for c in names + texts]
        columns = [column for column, _ in sources]
        row = tuple(array if is_array else text for _, is_array in sources)
        computed = search_columns(names, texts, row="t")
        selected = ", ".join(f"%s::text{'[]' if is_array else ''} AS {c}" for c, is_array in sources)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {computed['search_names']}, {computed['search_text']} FROM (SELECT {selected}) t",
                list(row),
            )
            assert search_values(model, columns)(row) == cursor.fetchone(), model.__name__


def test_words_of_synthetic_records_in_the_vocabulary_and_found_by_a_fragment():
    generate(events=EVENTS, seed=SEED)
    event = Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exclude(place=None).order_by("slug")[0]
    word = max(event.place.name.split(), key=len).lower()  # a made-up name
    assert len(word) >= 5 and SearchWord.objects.filter(word=word).exists()
    fragment = word[1:-1]  # not a word of its own: found only among the vocabulary's words
    assert not SearchWord.objects.filter(word=fragment).exists()
    assert event in search(Event.objects.all(), fragment)


def test_row_triggers_disabled_while_the_rows_are_written_and_enabled_again(monkeypatch):
    row_triggers, statement_triggers = trigger_states(row=True), trigger_states(row=False)
    assert set(row_triggers.values()) == set(statement_triggers.values()) == {"O"}  # enabled
    inserting = {(table, name.strip('"')) for table, name in tables.row_triggers(connection.cursor())}
    assert {name.split("_")[1] for _, name in inserting} == {"insert", "previous", "search"}
    during = []
    copy_rows = loading.copy_rows

    def observed(*args):
        during.append((trigger_states(row=True), trigger_states(row=False)))
        return copy_rows(*args)

    monkeypatch.setattr(loading, "copy_rows", observed)
    generate(events=EVENTS, seed=SEED)
    assert len(during) == len(table_names())
    for rows, statements in during:
        # Only those firing on insert; the statement triggers (search words, slugs, tallies) fire.
        assert {key for key, enabled in rows.items() if enabled == "D"} == inserting
        assert set(statements.values()) == {"O"}
    assert trigger_states(row=True) == row_triggers and trigger_states(row=False) == statement_triggers


def test_row_triggers_enabled_again_after_a_failed_load(monkeypatch):
    row_triggers = trigger_states(row=True)
    copy_rows = loading.copy_rows

    def failing(cursor, model, *args):
        if model is Event:
            raise RuntimeError("the load fails halfway")
        return copy_rows(cursor, model, *args)

    monkeypatch.setattr(loading, "copy_rows", failing)
    with pytest.raises(RuntimeError, match="halfway"):
        generate(events=EVENTS, seed=SEED)
    assert trigger_states(row=True) == row_triggers
    assert set(row_triggers.values()) == {"O"}
    assert not any(model.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists() for model in PUBLIC)


def test_promoting_disables_the_row_update_triggers_of_events_and_claims_and_enables_them_again(monkeypatch):
    row_triggers, statement_triggers = trigger_states(row=True), trigger_states(row=False)
    updating = {
        (t, name.strip('"')) for t, name in tables.row_triggers(connection.cursor(), "UPDATE", RENAMED)
    }
    # pghistory's update version, the previous slugs, the slug register, the search columns.
    assert {name.split("_")[1] for _, name in updating} == {"update", "previous", "slugs", "search"}
    assert {table for table, _ in updating} == set(RENAMED)
    during = []
    rename = releases.rename

    def observed(*args):
        during.append((trigger_states(row=True), trigger_states(row=False)))
        return rename(*args)

    monkeypatch.setattr(releases, "rename", observed)
    generate(events=EVENTS, seed=SEED)
    releases.promote(20)
    assert Event.objects.filter(slug__startswith=releases.PROMOTED).count() == 20
    [(rows, statements)] = during
    assert {key for key, enabled in rows.items() if enabled == "D"} == updating
    assert set(statements.values()) == {"O"}
    assert trigger_states(row=True) == row_triggers and trigger_states(row=False) == statement_triggers


def test_row_triggers_enabled_again_after_a_failed_promotion(monkeypatch):
    row_triggers = trigger_states(row=True)
    generate(events=EVENTS, seed=SEED)

    def failing(cursor, *args):
        cursor.execute("UPDATE events_event SET slug = 'x' || slug WHERE id IN (SELECT id FROM promoted)")
        raise RuntimeError("the rename fails halfway")

    monkeypatch.setattr(releases, "rename", failing)
    with pytest.raises(RuntimeError, match="halfway"):
        releases.promote(20)
    assert trigger_states(row=True) == row_triggers
    assert set(row_triggers.values()) == {"O"}
    assert Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count() == EVENTS  # none renamed
