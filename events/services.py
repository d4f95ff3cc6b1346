"""Writes that touch several records, each in one transaction.

The API's write serializers and the fixture loader both save events and claims here, so that a record
written either way leaves the same rows and the same history: only what changed is written.
"""

from django.db import transaction

from conflictdb.saving import save_changes
from events.evidence import EventEvidence
from events.models import Claim, ClaimRelation, Event, EventActor
from events.vocabularies import EvidenceFor


def replace_links(record, *, written: bool, current, wanted: set[tuple], make, key) -> bool:
    """Make the set of link rows `current` of `record` equal `wanted`, deleting and adding only the
    difference (so that the history shows what changed, not a rewrite); return whether anything changed.

    The links are part of the record as read: when they change and the record's own fields did not
    (`written` is false), its `updated_at` is saved first, so that it has a new ETag and a version,
    written before the links' versions, with which its history shows their change."""
    existing = {key(link): link for link in current}
    gone, new = existing.keys() - wanted, wanted - existing.keys()
    if not gone and not new:
        return False
    if not written:
        record.save(update_fields=["updated_at"])
    for item in gone:
        existing[item].delete()
    for item in sorted(new, key=str):
        make(*item).save()
    return True


def evidence_item(event: Event):
    """Makes an evidence row of `event` from a key as `replace_evidence` compares them."""
    return lambda claim, evidence_for, actor, role: EventEvidence(
        event=event, claim=claim, evidence_for=evidence_for, actor=actor, role=role
    )


def replace_evidence(event: Event, *, written: bool, current, wanted: set[tuple]) -> bool:
    return replace_links(
        event,
        written=written,
        current=current.select_related("claim", "actor"),
        wanted=wanted,
        make=evidence_item(event),
        key=lambda item: (item.claim, item.evidence_for, item.actor, item.role),
    )


@transaction.atomic
def save_event(
    *, event: Event, fields: dict, actors: list[dict] | None, evidence: dict[str, list] | None = None
) -> bool:
    """Save an event's own fields if they changed; when `actors` is given, make its actors and the
    claims each role rests on exactly those; when `evidence` is given, make the claims its fatalities,
    dates and place rest on exactly those. Return whether anything was written."""
    written = save_changes(event, fields)
    role = EvidenceFor.ROLE
    if actors is not None:
        written |= replace_links(
            event,
            written=written,
            current=event.event_actors.select_related("actor"),
            wanted={(item["actor"], item["role"]) for item in actors},
            make=lambda actor, role: EventActor(event=event, actor=actor, role=role),
            key=lambda link: (link.actor, link.role),
        )
        written |= replace_evidence(
            event,
            written=written,
            current=event.evidence.filter(evidence_for=role),
            wanted={
                (claim, role, item["actor"], item["role"]) for item in actors for claim in item["evidence"]
            },
        )
    if evidence is not None:
        written |= replace_evidence(
            event,
            written=written,
            current=event.evidence.exclude(evidence_for=role),
            wanted={(claim, name, None, "") for name, claims in evidence.items() for claim in claims},
        )
    return written


@transaction.atomic
def save_claim(*, claim: Claim, fields: dict, relations: list[dict] | None) -> bool:
    """Save a claim's own fields if they changed and, when `relations` is given, make its relations
    exactly those; return whether anything was written."""
    written = save_changes(claim, fields)
    if relations is not None:
        written |= replace_links(
            claim,
            written=written,
            current=claim.relations.select_related("to_claim"),
            wanted={(item["to_claim"], item["kind"], item["note"]) for item in relations},
            make=lambda other, kind, note: ClaimRelation(
                from_claim=claim, to_claim=other, kind=kind, note=note
            ),
            key=lambda link: (link.to_claim, link.kind, link.note),
        )
    return written
