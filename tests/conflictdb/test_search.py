"""`search` on every collection: names, aliases and texts, ranked by relevance unless `ordering` is given."""

import importlib

import pytest
from django.db import connection

from conflictdb import search
from conflictdb.models import SearchWord
from events.models import Actor
from tests import factories
from tests.api_testing import error_attrs, results_slugs

pytestmark = pytest.mark.django_db


def islamic_state():
    return factories.actor(name="Islamic State", aliases=["ISIS", "ISIL", "IS", "Daesh"])


def raqqa():
    return factories.place(name="Raqqa", admin1="Raqqa", aliases=["Raqa", "Ar-Raqqah", "الرقة"])


def strike_on_tabqa():
    # Tabqa's official name is al-Thawrah: an alias no spelling of the name resembles.
    return factories.event(title="Air strikes", place=factories.place(name="Tabqa", aliases=["Al-Thawrah"]))


def ministry_quote():
    return factories.claim(
        statement="The ministry reports strikes on command posts.",
        quote="Over the past 24 hours Sukhoi jets flew 20 sorties against 12 facilities.",
    )


def from_al_jazeera():
    return factories.source(kind="interview", title="Interview", publisher="Al-Jazeera Arabic")


@pytest.mark.parametrize(
    ("collection", "wanted", "other", "term"),
    [
        ("actors", islamic_state, lambda: factories.actor(name="Jaish al-Fatah"), "Daesh"),
        ("places", raqqa, lambda: factories.place(name="Homs", admin1="Homs"), "Raqa"),
        ("places", raqqa, lambda: factories.place(name="Homs", admin1="Homs"), "الرقة"),
        ("events", strike_on_tabqa, lambda: factories.event(place=factories.place(name="Homs")), "Thawrah"),
        ("claims", ministry_quote, factories.claim, "sorties Sukhoi"),  # words of the quote, any order
        ("sources", from_al_jazeera, lambda: factories.source(publisher="Reuters"), "al-jazeera"),
    ],
    ids=["actor-alias", "place-alias", "place-arabic-alias", "event-place-alias", "claim-quote", "publisher"],
)
def test_search_finds_the_record_and_not_others(api, collection, wanted, other, term):
    found = wanted()
    other()

    assert results_slugs(api.get(f"/api/v1/{collection}/", {"search": term})) == [found.slug]


def test_results_are_ordered_by_relevance_unless_ordering_is_given(api):
    # Slugs chosen so that slug order is the reverse of relevance.
    exact = factories.actor(slug="z-talbiseh", name="Talbiseh Brigade")
    close = factories.actor(slug="a-talbisa", name="Talbisa Battalion")  # another spelling
    factories.actor(slug="m-rastan", name="Rastan Brigade")

    assert results_slugs(api.get("/api/v1/actors/", {"search": "Talbiseh"})) == [exact.slug, close.slug]
    assert results_slugs(api.get("/api/v1/actors/", {"search": "Talbiseh", "ordering": "slug"})) == [
        close.slug,
        exact.slug,
    ]
    assert results_slugs(api.get("/api/v1/actors/", {"search": "Talbiseh", "ordering": "-name"})) == [
        exact.slug,
        close.slug,
    ]


@pytest.mark.parametrize(
    ("collection", "term", "named", "mentioning"),
    [
        (
            "actors",
            "Hezbollah",
            lambda: factories.actor(slug="z-hezbollah", name="Hezbollah"),
            lambda: factories.actor(
                slug="a-syrian-army", name="Syrian Arab Army", description="Fought with Hezbollah in Qusayr."
            ),
        ),
        (
            "events",
            "Talbiseh",
            lambda: factories.event(slug="z-talbiseh", title="Air strike on Talbiseh"),
            lambda: factories.event(
                slug="a-rastan", title="Shelling of Rastan", summary="Shells also fell on the Talbiseh road."
            ),
        ),
    ],
    ids=["actor-name-over-description", "event-title-over-summary"],
)
def test_a_name_match_ranks_above_a_mention_in_the_description(api, collection, term, named, mentioning):
    # Slugs put the mention first in slug order, so a tie in rank shows.
    best, mentioned = named(), mentioning()

    assert results_slugs(api.get(f"/api/v1/{collection}/", {"search": term})) == [best.slug, mentioned.slug]


@pytest.mark.parametrize("term", ["%", "...", " - ", "_", "\u200b"])
def test_a_search_without_a_letter_or_digit_is_a_400(api, term):
    assert error_attrs(api.get("/api/v1/events/", {"search": term})) == {"search"}


def test_words_shorter_than_a_trigram_match_whole_words_only(api):
    found = islamic_state()
    factories.actor(name="Kurdish People's Protection Units", aliases=["YPG"])  # "IS" inside no word
    factories.actor(name="Syrian Islamist factions")

    assert results_slugs(api.get("/api/v1/actors/", {"search": "IS"})) == [found.slug]
    assert results_slugs(api.get("/api/v1/actors/", {"search": "I"})) == []  # a substring only
    assert found.slug in results_slugs(api.get("/api/v1/actors/", {"search": "Isl"}))  # 3: substrings again


def test_every_word_is_required_whole_as_part_of_a_word_or_spelled_otherwise(api):
    found = factories.event(title="Shelling of Talbiseh road")
    factories.event(title="Shelling of Rastan")

    # A misspelt word and the beginning of another, both required.
    assert results_slugs(api.get("/api/v1/events/", {"search": "Talbisa shell"})) == [found.slug]
    assert results_slugs(api.get("/api/v1/events/", {"search": "Talbisa Homs"})) == []


def test_a_new_word_is_found_by_its_parts_as_soon_as_it_is_written(api):
    actor = factories.actor(name="Hayat Tahrir al-Sham")
    assert results_slugs(api.get("/api/v1/actors/", {"search": "abhat"})) == []

    Actor.objects.filter(pk=actor.pk).update(description="Formerly Jabhat al-Nusra.")  # one UPDATE statement

    assert results_slugs(api.get("/api/v1/actors/", {"search": "abhat"})) == [actor.slug]
    assert results_slugs(api.get("/api/v1/actors/", {"search": "Nusr"})) == [actor.slug]


def test_new_words_go_into_the_vocabularys_index_not_a_pending_list():
    """GIN's pending list is read whole by every search until a vacuum empties it (30 ms a word's lookup
    after a million events' load): the vocabulary's trigram index has none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_word_trigrams'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_words_without_a_letter_are_found_whole_and_kept_out_of_the_vocabulary(api):
    claim = factories.claim(statement="The ministry reports 1234 fighters killed.")
    factories.claim(statement="The ministry reports 12345 fighters killed.")

    words = list(
        SearchWord.objects.filter(word__in=["1234", "12345", "fighters"]).values_list("word", flat=True)
    )
    assert words == ["fighters"]  # once, though two records have it
    assert results_slugs(api.get("/api/v1/claims/", {"search": "1234"})) == [claim.slug]


def test_the_migrations_fill_takes_the_words_of_records_and_of_their_earlier_versions():
    actor = factories.actor(name="Jaish al-Islam")
    Actor.objects.filter(pk=actor.pk).update(name="Army of Islam")  # the first name is in a version only
    SearchWord.objects.all().delete()

    fill = importlib.import_module("conflictdb.migrations.0004_fill_search_words")
    with connection.cursor() as cursor:
        cursor.execute(fill.Migration.operations[0].sql)

    assert {"jaish", "army", "islam", "al-islam"} <= set(SearchWord.objects.values_list("word", flat=True))


def test_a_fragment_stands_for_the_most_similar_words_only(api, monkeypatch):
    assert f"LIMIT {search.MOST_WORDS}" in search.WORDS_QUERY  # 50, three here
    monkeypatch.setattr(
        search, "WORDS_QUERY", search.WORDS_QUERY.replace(f"LIMIT {search.MOST_WORDS}", "LIMIT 3")
    )
    closest = factories.actor(name="Qorzebin")  # the shortest words that contain the fragment come first
    others = [factories.actor(name=f"Qorzebin{suffix}") for suffix in ("a", "b", "cc", "dd")]

    assert set(results_slugs(api.get("/api/v1/actors/", {"search": "qorzebi"}))) == {
        closest.slug,
        others[0].slug,
        others[1].slug,
    }
