"""The claims an event's values rest on (EventEvidence), and the rule its fatalities keep.

An event's fatalities, dates, place and each actor's role are traceable to claims: the curator cites,
for each, the claims it comes from. The API shows them as the event's `evidence` object and on each of
its actor entries; the loader, the API and the admin write them as the event's links (events/services.py).

The fatalities' rule is one, used by the API and the loader (the event's write serializer) and by the
admin (its evidence inline): the claims cited for them are casualty counts about that event, and when a
figure is given, the best estimate is one a cited claim states (12 from a claim of 12; 15 from a claim
of "10 to 20"; 25 from a claim of "more than 20") and low and high lie within the cited claims'
figures. Choosing among the claims is the curator's judgement (UCDP's low / best / high); stating a
figure none of them gives is not.
"""

from math import inf

from django.db import models
from django.db.models import Q

from conflictdb.history import tracked
from events.models import Actor, Claim, Event
from events.vocabularies import ActorRole, ClaimType, EvidenceFor

FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")

# The event's own values a claim can be cited for; an actor's role is cited on its actor entry.
EVENT_VALUES = [value for value in EvidenceFor.values if value != EvidenceFor.ROLE]


@tracked
class EventEvidence(models.Model):
    """A claim an event's value rests on: its fatalities, its dates, its place, or an actor's role in it
    (`actor` and `role` name the role). The API shows them as the event's `evidence` and on each actor
    entry."""

    history_parent = "event"  # in the changes feed, a change here is a change of the event
    FIELDS = ("event", "evidence_for", "claim", "actor", "role")  # in order (conflictdb/fieldlists.py)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    evidence_for = models.CharField(max_length=16, choices=EvidenceFor.choices)
    # A claim an event rests on is not deleted from under it: the delete is a 409 naming the event.
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence_of")
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=ActorRole.choices, blank=True)

    class Meta:
        ordering = ["evidence_for", "actor__slug", "role", "claim__slug"]
        verbose_name_plural = "event evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "evidence_for", "claim", "actor", "role"],
                nulls_distinct=False,
                name="event_evidence_unique",
            ),
            models.CheckConstraint(
                condition=Q(evidence_for=EvidenceFor.ROLE, actor__isnull=False) & ~Q(role="")
                | ~Q(evidence_for=EvidenceFor.ROLE) & Q(actor__isnull=True, role=""),
                name="event_evidence_role_named",
                violation_error_message=(
                    "Evidence for a role names its actor and role; other evidence, neither."
                ),
            ),
        ]

    def __str__(self):
        role = f" ({self.actor} {self.role})" if self.actor_id else ""
        return f"{self.claim} for {self.evidence_for}{role} of {self.event}"


def evidence_of(event) -> list:
    """The event's evidence rows with their claims: prefetched where many events are read (lists,
    exports), else read in one query."""
    if "evidence" in getattr(event, "_prefetched_objects_cache", {}):
        return list(event.evidence.all())
    return list(event.evidence.select_related("claim"))


def cited_for_event(event) -> dict[str, list]:
    """The claims cited for the event's fatalities, dates and place (`evidence` as the API shows it),
    each list in slug order."""
    cited = {name: [] for name in EVENT_VALUES}
    for item in evidence_of(event):
        if item.evidence_for in cited:
            cited[item.evidence_for].append(item.claim)
    return cited


def cited_for_role(link) -> list:
    """The claims cited for an actor's role (an EventActor), in slug order. Prefetched with the event's
    actors, a link's `event` is that event, and its evidence is read once for all of them."""
    return [
        item.claim
        for item in evidence_of(link.event)
        if item.evidence_for == EvidenceFor.ROLE and item.actor_id == link.actor_id and item.role == link.role
    ]


def stated_range(claim) -> tuple[float, float] | None:
    """The figures a claim states, as a closed range (a lower bound, "more than 20", has no top), or None
    when it states none."""
    if claim.value is not None:
        low, high = claim.value, claim.value
    elif claim.value_low is not None or claim.value_high is not None:
        low = claim.value_low if claim.value_low is not None else 0
        high = claim.value_high if claim.value_high is not None else inf
    else:
        return None
    return (low, inf) if claim.value_is_lower_bound else (low, high)


def fatalities_problems(*, event, claims, **fatalities) -> dict:
    """Why the fatalities (`fatalities_low`, `fatalities_best`, `fatalities_high`) of `event` (None
    when it is not written yet) cannot rest on `claims` (those cited for them), by field; {} when they
    can."""
    problems = {}
    pk = getattr(event, "pk", None)
    foreign = [
        c.slug for c in claims if c.claim_type != ClaimType.CASUALTY_COUNT or pk is None or c.event_id != pk
    ]
    if foreign:
        problems["evidence.fatalities"] = (
            f"Not a casualty count about this event: {', '.join(foreign)}. Fatalities rest on claims about "
            "the event itself, which exist once it does."
        )
    given = {name: value for name, value in fatalities.items() if value is not None}
    if not given or problems:
        return problems
    ranges = [r for r in (stated_range(c) for c in claims) if r is not None]
    if not ranges:
        cited = "none is cited" if not claims else "none of those cited states a figure"
        return {
            "evidence.fatalities": "Fatalities rest on a casualty count about this event that states a "
            f"figure; {cited}."
        }
    best = given.get("fatalities_best")
    if best is not None and not any(low <= best <= high for low, high in ranges):
        problems["fatalities_best"] = f"{best} is not a figure any cited claim states ({describe(ranges)})."
    lowest, highest = min(low for low, _ in ranges), max(high for _, high in ranges)
    for name in ("fatalities_low", "fatalities_high"):
        value = given.get(name)
        if value is not None and not lowest <= value <= highest:
            problems[name] = f"{value} is outside the cited claims' figures ({describe(ranges)})."
    return problems


def describe(ranges) -> str:
    return "; ".join(
        str(low) if low == high else f"more than {low}" if high == inf else f"{low} to {high}"
        for low, high in ranges
    )
