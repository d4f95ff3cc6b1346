"""Writes that touch several records, each in one transaction.

The API's write serializers and the fixture loader both save events and claims here, so that a record
written either way leaves the same rows and the same history: only what changed is written.
"""

from django.db import transaction

from conflictdb.saving import save_changes
from events.models import Claim, ClaimRelation, Event, EventActor


def replace_links(*, current, wanted: set[tuple], make, key) -> bool:
    """Make the set of link rows `current` equal `wanted`, deleting and adding only the difference
    (so that the history shows what changed, not a rewrite); return whether anything changed."""
    existing = {key(link): link for link in current}
    for gone in existing.keys() - wanted:
        existing[gone].delete()
    for new in sorted(wanted - existing.keys(), key=str):
        make(*new).save()
    return existing.keys() != wanted


@transaction.atomic
def save_event(*, event: Event, fields: dict, actors: list[dict] | None) -> bool:
    """Save an event's own fields if they changed and, when `actors` is given, make its actors exactly
    those; return whether anything was written."""
    written = save_changes(event, fields)
    if actors is not None:
        written |= replace_links(
            current=event.event_actors.select_related("actor"),
            wanted={(item["actor"], item["role"]) for item in actors},
            make=lambda actor, role: EventActor(event=event, actor=actor, role=role),
            key=lambda link: (link.actor, link.role),
        )
    return written


@transaction.atomic
def save_claim(*, claim: Claim, fields: dict, relations: list[dict] | None) -> bool:
    """Save a claim's own fields if they changed and, when `relations` is given, make its relations
    exactly those; return whether anything was written."""
    written = save_changes(claim, fields)
    if relations is not None:
        written |= replace_links(
            current=claim.relations.select_related("to_claim"),
            wanted={(item["to_claim"], item["kind"], item["note"]) for item in relations},
            make=lambda other, kind, note: ClaimRelation(
                from_claim=claim, to_claim=other, kind=kind, note=note
            ),
            key=lambda link: (link.to_claim, link.kind, link.note),
        )
    return written
