"""Writes that touch several records, each in one transaction."""

from django.db import transaction

from events.models import Claim, ClaimRelation, Event, EventActor


def replace_links(*, current, wanted: set[tuple], make, key) -> None:
    """Make the set of link rows `current` equal `wanted`, deleting and adding only the difference
    (so that the history shows what changed, not a rewrite)."""
    existing = {key(link): link for link in current}
    for gone in existing.keys() - wanted:
        existing[gone].delete()
    for new in sorted(wanted - existing.keys(), key=str):
        make(*new).save()


@transaction.atomic
def save_event(*, event: Event, fields: dict, actors: list[dict] | None) -> Event:
    """Save an event's own fields and, when `actors` is given, make its actors exactly those."""
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    if actors is not None:
        replace_links(
            current=event.event_actors.select_related("actor"),
            wanted={(item["actor"], item["role"]) for item in actors},
            make=lambda actor, role: EventActor(event=event, actor=actor, role=role),
            key=lambda link: (link.actor, link.role),
        )
    return event


@transaction.atomic
def save_claim(*, claim: Claim, fields: dict, relations: list[dict] | None) -> Claim:
    """Save a claim's own fields and, when `relations` is given, make its relations exactly those."""
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save()
    if relations is not None:
        replace_links(
            current=claim.relations.select_related("to_claim"),
            wanted={(item["claim"], item["kind"], item["note"]) for item in relations},
            make=lambda other, kind, note: ClaimRelation(
                from_claim=claim, to_claim=other, kind=kind, note=note
            ),
            key=lambda link: (link.to_claim, link.kind, link.note),
        )
    return claim
