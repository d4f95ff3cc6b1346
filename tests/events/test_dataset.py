"""The curated dataset and its loader/exporter: validation, idempotence, rollback, round trip, fidelity."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from events.dataset import DatasetError, export, load
from events.models import Actor, Claim, Event, Place
from sources.models import Source

FIXTURES = settings.BASE_DIR / "fixtures"
SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
MODELS = [Source, Actor, Place, Event, Claim]

pytestmark = pytest.mark.django_db


def fixture_records(kind: str):
    """Every record of `kind` in the shipped fixtures."""
    for path in sorted(FIXTURES.rglob("*.json")):
        yield from json.loads(path.read_text(encoding="utf-8")).get(kind, [])


def database_state():
    return {model.__name__: sorted(model.objects.values_list("slug", "updated_at")) for model in MODELS}


@pytest.fixture
def dataset(tmp_path):
    """A writable copy of the shipped fixtures."""
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy, ignore=shutil.ignore_patterns("*.md"))
    return copy


def edit(path: Path, collection: str, slug: str, changes: dict):
    content = json.loads(path.read_text(encoding="utf-8"))
    record = next(r for r in content[collection] if r["slug"] == slug)
    record.update(changes)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_shipped_fixtures_load_completely():
    report = load([FIXTURES])
    for model in MODELS:
        expected = len(list(fixture_records(f"{model._meta.model_name}s")))
        assert expected > 0, f"the fixtures hold no {model.__name__}"
        assert model.objects.count() == expected
    assert report.total("created") == sum(model.objects.count() for model in MODELS)


def test_dry_run_reports_without_writing():
    report = load([FIXTURES], dry_run=True)
    assert report.total("created") > 0
    assert all(model.objects.count() == 0 for model in MODELS)


def test_second_load_changes_nothing(capsys):
    call_command("load_dataset")
    before = database_state()
    call_command("load_dataset")
    output = capsys.readouterr().out.splitlines()
    assert "total: 0 created, 0 updated" in output[-2]
    assert output[-1] == "nothing changed"
    assert database_state() == before


def test_an_edit_is_one_update(dataset):
    load([dataset])
    slug = next(fixture_records("actors"))["slug"]
    edit(dataset / "actors.json", "actors", slug, {"description": "Edited by a curator."})
    report = load([dataset])
    assert report.total("updated") == 1
    assert report.total("created") == 0
    assert Actor.objects.get(slug=slug).description == "Edited by a curator."


def test_changing_an_events_actors_is_an_update(dataset):
    load([dataset])
    event = next(e for e in fixture_records("events") if e["actors"])
    path = next(p for p in dataset.rglob("*.json") if f'"{event["slug"]}"' in p.read_text())
    edit(path, "events", event["slug"], {"actors": event["actors"][1:]})
    report = load([dataset])
    assert report.counts["events"]["updated"] == 1
    assert Event.objects.get(slug=event["slug"]).event_actors.count() == len(event["actors"]) - 1


def test_a_bad_record_leaves_the_database_as_it_was(dataset):
    load([dataset])
    before = database_state()
    # One good new record and one bad one in the same run: neither may be written.
    registry = json.loads((dataset / "actors.json").read_text())
    registry["actors"].append(
        {"slug": "a-new-actor", "name": "A new actor", "kind": "state", "country": "FRA", "aliases": []}
    )
    (dataset / "actors.json").write_text(json.dumps(registry))
    event = next(fixture_records("events"))
    path = next(p for p in dataset.rglob("*.json") if f'"{event["slug"]}"' in p.read_text())
    edit(path, "events", event["slug"], {"end_date": "1900-01-01"})

    with pytest.raises(DatasetError) as failure:
        load([dataset])

    assert database_state() == before
    assert not Actor.objects.filter(slug="a-new-actor").exists()
    (rejection,) = failure.value.rejected
    assert rejection.path == str(path)
    assert rejection.slug == event["slug"]
    assert "end date cannot be before the start date" in rejection.message


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "warlord"}, "kind", "not a valid choice"),
        ({"parent": "no-such-actor"}, "parent", "no actor with slug 'no-such-actor'"),
        ({"country": "Syria"}, "country", ""),
        ({"nickname": "x"}, "nickname", "unknown field"),
    ],
)
def test_the_command_names_file_record_and_field(dataset, change, field, message, capsys):
    slug = next(fixture_records("actors"))["slug"]
    edit(dataset / "actors.json", "actors", slug, change)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_dataset", str(dataset))
    error = capsys.readouterr().err
    assert f"{dataset / 'actors.json'} actors[" in error
    assert f"slug={slug} field={field}" in error
    assert message in error
    assert Actor.objects.count() == 0


def test_unreadable_json_is_rejected(tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(DatasetError) as failure:
        load([tmp_path])
    assert "broken.json" in str(failure.value.rejected[0])


def test_export_of_the_loaded_fixtures_is_byte_identical(tmp_path):
    load([FIXTURES])
    written = export(tmp_path)
    shipped = sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*.json"))
    assert sorted(p.relative_to(tmp_path) for p in written) == shipped
    for relative in shipped:
        assert (tmp_path / relative).read_bytes() == (FIXTURES / relative).read_bytes(), relative


# Fidelity to the source article ----------------------------------------------------------------------


def article_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the source articles are not here ({SEEDS} is missing); fidelity cannot be checked")
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))


WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def spellings(number: int) -> set[str]:
    """The ways an article may write a number: 65, 240,000, nine, four million, a dozen."""
    forms = {str(number), f"{number:,}"}
    if number < len(WORDS):
        forms.add(WORDS[number])
    if number == 12:
        forms.add("dozen")
    if number and number % 1_000_000 == 0 and number // 1_000_000 < len(WORDS):
        forms.add(f"{WORDS[number // 1_000_000]} million")
    return forms


def test_every_quote_is_verbatim_in_the_article():
    text = article_text()
    quotes = [(c["slug"], c["quote"]) for c in fixture_records("claims") if c["quote"]]
    assert quotes, "the fixtures quote nothing"
    for slug, quote in quotes:
        assert quote in text, f"claim {slug}: quote not found verbatim in the article"


def test_no_record_carries_a_figure_absent_from_the_article():
    words = set(re.findall(r"\d[\d,]*\d|\d|[a-z]+(?: million)?", article_text().lower()))
    figures = [
        (claim["slug"], claim[name])
        for claim in fixture_records("claims")
        for name in ("value", "value_low", "value_high")
        if claim[name] is not None
    ] + [
        (event["slug"], event[name])
        for event in fixture_records("events")
        for name in ("fatalities_low", "fatalities_best", "fatalities_high")
        if event[name] is not None
    ]
    assert figures, "the fixtures carry no figure"
    for slug, figure in figures:
        assert spellings(figure) & words, f"{slug}: the figure {figure} does not appear in the article"


def test_no_record_carries_a_url_absent_from_the_article():
    text = article_text()
    for source in fixture_records("sources"):
        assert source["url"] == "" or source["url"] in text, source["slug"]
    for path in FIXTURES.rglob("*.json"):
        for url in re.findall(r"https?://\S+", path.read_text(encoding="utf-8")):
            assert url in text, f"{path.name} carries {url}"
