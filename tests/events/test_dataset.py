"""The curated dataset and its loader/exporter: validation, idempotence, rollback, round trip, fidelity."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from conflictdb.changes import version_models
from conflictdb.fieldlists import stored_columns
from events.dataset import DatasetError, export, load
from events.models import Actor, Claim, Event, Place
from events.vocabularies import ActorRole
from sources.models import Source
from tests.api_testing import curator_client

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


def version_count() -> int:
    """Version rows of every tracked table."""
    return sum(model.objects.count() for model in version_models())


def role_versions(event_slug: str) -> list[tuple]:
    """(action, actor, role) of every version of the event's actor roles, in the order written."""
    versions = apps.get_model("events", "EventActorVersion").objects.filter(event__slug=event_slug)
    return list(versions.order_by("pgh_id").values_list("pgh_label", "actor__slug", "role"))


def article_with(dataset: Path, slug: str) -> Path:
    return next(p for p in dataset.rglob("*.json") if f'"{slug}"' in p.read_text(encoding="utf-8"))


def another_role(event: dict) -> list[dict]:
    """The event's actors with the last one's role changed to one it does not have yet, the claims it
    rests on with it."""
    *kept, changed = event["actors"]
    taken = {item["role"] for item in event["actors"] if item["actor"] == changed["actor"]}
    role = next(role for role in ActorRole.values if role not in taken)
    return [*kept, {"actor": changed["actor"], "role": role, "evidence": changed["evidence"]}]


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


def test_a_second_load_writes_no_version(dataset):
    load([dataset])
    before = version_count()

    report = load([dataset])

    assert report.total("created") == report.total("updated") == 0
    assert version_count() == before


def test_changing_one_actor_role_shows_exactly_that_change_in_the_history(dataset):
    load([dataset])
    event = next(e for e in fixture_records("events") if len(e["actors"]) > 1)
    before_roles, before_versions = role_versions(event["slug"]), version_count()
    own_versions = Event.objects.get(slug=event["slug"]).history.count()
    actors = another_role(event)
    edit(article_with(dataset, event["slug"]), "events", event["slug"], {"actors": actors})

    report = load([dataset])

    gone, added = event["actors"][-1], actors[-1]
    assert role_versions(event["slug"])[len(before_roles) :] == [
        ("delete", gone["actor"], gone["role"]),
        ("insert", added["actor"], added["role"]),
    ]
    # One version of the event, which shows that change, the role's evidence moving with it, and nothing
    # else.
    assert Event.objects.get(slug=event["slug"]).history.count() == own_versions + 1
    latest = curator_client().get(f"/api/v1/events/{event['slug']}/history/").json()["results"][-1]

    def cited(item):
        return [
            {"evidence_for": "role", "claim": c, "actor": item["actor"], "role": item["role"]}
            for c in item["evidence"]
        ]

    assert gone["evidence"]
    assert latest["changes"] == {
        "actors": {
            "added": [{"actor": added["actor"], "role": added["role"]}],
            "removed": [{"actor": gone["actor"], "role": gone["role"]}],
        },
        "evidence": {"added": cited(added), "removed": cited(gone)},
    }
    assert version_count() == before_versions + 3 + 2 * len(gone["evidence"])
    assert report.counts["events"]["updated"] == 1
    assert report.total("updated") == 1


def written_state(slug: str) -> dict:
    """What the database holds of an event: its row, its actor roles, its history and theirs, without
    what differs between two writes of the same thing (ids, times, who wrote)."""
    columns = [column for column in stored_columns(Event) if column != "slug"]
    history = curator_client().get(f"/api/v1/events/{slug}/history/").json()["results"]
    timestamps = {"created_at", "updated_at"}
    return {
        "row": Event.objects.filter(slug=slug).values(*columns, *Event.SUMMARY).get(),
        "roles": sorted(Event.objects.get(slug=slug).event_actors.values_list("actor__slug", "role")),
        "history": [
            (v["action"], {k: x for k, x in v["data"].items() if k not in timestamps}, v["changes"])
            for v in history
        ],
        "role_history": role_versions(slug),
    }


def test_an_event_written_through_the_api_or_loaded_from_a_file_leaves_the_same_rows_and_history(tmp_path):
    load([FIXTURES])
    template = next(e for e in fixture_records("events") if len(e["actors"]) > 1)
    record = template | {"slug": "one-event-two-ways", "part_of": None}
    # (Not its fatalities: they rest on claims about it, which a new event has none of.)
    changed = {"actors": another_role(record), "summary": "Changed in a second write."}
    curator = curator_client()

    with transaction.atomic():
        created = curator.post("/api/v1/events/", record, format="json")
        assert created.status_code == 201, created.content
        updated = curator.patch(f"/api/v1/events/{record['slug']}/", changed, format="json")
        assert updated.status_code == 200, updated.content
        through_the_api = written_state(record["slug"])
        transaction.set_rollback(True)

    path = tmp_path / "one-event.json"
    path.write_text(json.dumps({"events": [record]}), encoding="utf-8")
    load([path])
    path.write_text(json.dumps({"events": [record | changed]}), encoding="utf-8")
    load([path])
    from_the_file = written_state(record["slug"])

    assert [action for action, _, _ in from_the_file["history"]] == ["create", "update"]
    assert from_the_file == through_the_api


def test_an_actor_listed_before_its_parent_loads_after_it(dataset):
    registry = json.loads((dataset / "actors.json").read_text(encoding="utf-8"))
    children = [actor for actor in registry["actors"] if actor["parent"]]
    assert children, "the fixtures hold no actor with a parent"
    registry["actors"].sort(key=lambda actor: actor["parent"] is None)  # every child before every parent
    (dataset / "actors.json").write_text(json.dumps(registry), encoding="utf-8")

    load([dataset])

    for child in children:
        assert Actor.objects.get(slug=child["slug"]).parent.slug == child["parent"]


def test_a_claim_relating_to_a_later_claim_loads_with_its_relation(dataset):
    claim = next(c for c in fixture_records("claims") if any(r["claim"] > c["slug"] for r in c["relations"]))

    load([dataset])

    stored = Claim.objects.get(slug=claim["slug"]).relations.values_list("to_claim__slug", "kind", "note")
    assert sorted(stored) == sorted((r["claim"], r["kind"], r["note"]) for r in claim["relations"])


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        ({"role": "perpetrator"}, "actors.0.actor", "This field is required."),
        ({"actor": "russia", "role": "perpetrator", "since": "2015"}, "actors.0.since", "unknown field"),
        ({"actor": "no-such-actor", "role": "perpetrator"}, "actors.0.actor", "No actor with slug"),
    ],
)
def test_a_bad_actor_role_is_named_by_its_place_in_the_list(dataset, item, field, message):
    event = next(fixture_records("events"))
    edit(article_with(dataset, event["slug"]), "events", event["slug"], {"actors": [item]})

    with pytest.raises(DatasetError) as failure:
        load([dataset])

    (rejection,) = failure.value.rejected
    assert (rejection.slug, rejection.field) == (event["slug"], field)
    assert message in rejection.message
    assert not Event.objects.exists()


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
        ({"parent": "no-such-actor"}, "parent", "No actor with slug 'no-such-actor'"),
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


@pytest.mark.parametrize("loaded_first", [False, True], ids=["new", "already-loaded"])
def test_a_cycle_of_parents_is_rejected_naming_the_field(dataset, loaded_first):
    if loaded_first:
        load([dataset])
    registry = json.loads((dataset / "actors.json").read_text(encoding="utf-8"))
    child = next(actor for actor in registry["actors"] if actor["parent"])
    parent = next(actor for actor in registry["actors"] if actor["slug"] == child["parent"])
    parent["parent"] = child["slug"]  # the parent's parent is its child
    (dataset / "actors.json").write_text(json.dumps(registry), encoding="utf-8")
    before = database_state()

    with pytest.raises(DatasetError) as failure:
        load([dataset])

    assert any(r.field == "parent" and "cycle" in r.message for r in failure.value.rejected)
    assert database_state() == before
