"""Template filters of the explorer: the vocabularies' labels and a claim's figure, in words."""

from functools import cache

from django import template

from conflictdb.models import DatePrecision
from events.vocabularies import (
    ActorKind,
    ActorRole,
    ClaimStatus,
    ClaimType,
    EventType,
    GeoPrecision,
    SubEventType,
)
from sources.models import SourceKind

register = template.Library()


@cache
def vocabularies() -> dict[str, dict[str, str]]:
    choices = {
        "event_type": EventType,
        "sub_event_type": SubEventType,
        "date_precision": DatePrecision,
        "geo_precision": GeoPrecision,
        "role": ActorRole,
        "actor_kind": ActorKind,
        "claim_type": ClaimType,
        "status": ClaimStatus,
        "source_kind": SourceKind,
    }
    return {name: dict(vocabulary.choices) for name, vocabulary in choices.items()}


@register.filter
def label(value, vocabulary: str) -> str:
    """The readable label of `value` in `vocabulary` (a key of `vocabularies`), the value itself if none."""
    return vocabularies()[vocabulary].get(value, value or "")


@register.filter
def figure(claim: dict) -> str:
    """A claim's figure as it states it: a value or a range, "at least" for a lower bound, its unit."""
    value, low, high = claim.get("value"), claim.get("value_low"), claim.get("value_high")
    if value is None and low is None and high is None:
        return ""
    if value is not None:
        text = f"at least {value}" if claim.get("value_is_lower_bound") else str(value)
        if low is not None or high is not None:
            text += f" ({low if low is not None else '?'} to {high if high is not None else '?'})"
    else:
        text = f"{low if low is not None else '?'} to {high if high is not None else '?'}"
    unit = claim.get("unit")
    return f"{text} {unit}" if unit else text


@register.filter
def choices(vocabulary: str) -> list[tuple[str, str]]:
    """The (value, label) pairs of `vocabulary`, for a form's options."""
    return list(vocabularies()[vocabulary].items())
