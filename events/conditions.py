"""The conditions of the events app's check constraints that are more than one comparison, and the
expressions its indexes and filters share."""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from events.vocabularies import SUB_EVENT_TYPES

COUNTRY_CODE = Q(country="") | Q(country__regex=r"^[A-Z]{3}$")


def at_most(low: str, high: str) -> Q:
    """`low` <= `high` whenever both are known."""
    return Q(**{f"{low}__isnull": True}) | Q(**{f"{high}__isnull": True}) | Q(**{f"{low}__lte": F(high)})


def sub_event_type_matches() -> Q:
    """An event's sub-type, when given, belongs to its type."""
    condition = Q(sub_event_type="")
    for event_type, sub_types in SUB_EVENT_TYPES.items():
        condition |= Q(event_type=event_type, sub_event_type__in=sub_types)
    return condition


def claim_figure() -> Coalesce:
    """A claim's figure, as filters compare it (and its index holds it): its value when it has one, else
    its bounds."""
    return Coalesce("value", "value_low", "value_high")
