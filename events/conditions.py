"""The conditions of the events app's check constraints that are more than one comparison."""

from django.db.models import F, Q

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
