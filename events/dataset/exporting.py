"""Writing the database back as dataset files, for review as a diff of fixtures/.

A record in a file is the record as its API write serializer represents it (events/dataset/kinds.py):
the same keys in the same order, references by slug, link lists as the items the API takes.
"""

import json
from collections import defaultdict
from pathlib import Path

from django.db.models import Prefetch
from rest_framework.utils.encoders import JSONEncoder

from conflictdb.models import SYNTHETIC_PREFIX
from events.dataset.kinds import KIND_BY_KEY
from events.evidence import EventEvidence
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.models import Source

# Link items in the files' order: an event's actors by role then actor, a claim's relations by kind
# then claim.
ACTOR_ROLES = EventActor.objects.select_related("actor").order_by("role", "actor__slug")
RELATIONS = ClaimRelation.objects.select_related("to_claim").order_by("kind", "to_claim__slug")


def file_form(key: str, instance) -> dict:
    """One record as a file holds it: its public fields, in order, as the API writes them."""
    kind = KIND_BY_KEY[key]
    data = kind.serializer(instance).data
    return {name: data[name] for name in kind.fields}


def root_of(source: Source, sources_by_id: dict) -> Source:
    """The source at the top of the `reported_in` chain: the article a statement was reported in."""
    seen = set()
    while source.reported_in_id and source.reported_in_id not in seen:
        seen.add(source.id)
        source = sources_by_id[source.reported_in_id]
    return source


def curated(model):
    """The curated records of `model`: synthetic benchmark rows never enter the fixtures."""
    return model.objects.exclude(slug__startswith=SYNTHETIC_PREFIX)


def export(directory: Path) -> list[Path]:
    """Write the curated records as dataset files under `directory`; return the files written."""
    sources = {s.id: s for s in curated(Source).select_related("reported_in")}
    files: dict[str, dict[str, list]] = defaultdict(lambda: {"sources": [], "events": [], "claims": []})

    def article_file(source):
        return f"articles/{root_of(source, sources).slug}.json"

    for source in sources.values():
        files[article_file(source)]["sources"].append(file_form("sources", source))
    registries = {"actors": curated(Actor).select_related("parent"), "places": curated(Place)}
    for key, queryset in registries.items():
        files[f"{key}.json"] = {key: [file_form(key, record) for record in queryset]}

    events = (
        curated(Event)
        .select_related("place", "part_of")
        .prefetch_related(
            Prefetch("event_actors", queryset=ACTOR_ROLES),
            Prefetch("evidence", queryset=EventEvidence.objects.select_related("claim")),
            Prefetch("claims", queryset=Claim.objects.select_related("source"), to_attr="claim_list"),
        )
    )
    for event in events:
        # An event lives in the file of the earliest article that carries a claim about it.
        roots = sorted(
            {root_of(claim.source, sources) for claim in event.claim_list},
            key=lambda s: (s.published_on is None, s.published_on, s.slug),
        )
        name = article_file(roots[0]) if roots else "events.json"
        files[name]["events"].append(file_form("events", event))

    claims = (
        curated(Claim)
        .select_related("claimant", "source", "event", "about_actor")
        .prefetch_related(Prefetch("relations", queryset=RELATIONS))
    )
    for claim in claims:
        files[article_file(sources[claim.source_id])]["claims"].append(file_form("claims", claim))

    written = []
    for name, content in sorted(files.items()):
        if name == "events.json":
            content = {"events": content["events"]}
        for records in content.values():
            records.sort(key=lambda record: record["slug"])
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(content, indent=2, ensure_ascii=False, cls=JSONEncoder)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written
