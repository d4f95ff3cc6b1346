"""Every relation a user would filter by has a filter (after NetBox's utilities/testing/filtersets.py).

Adding a foreign key or many-to-many field to a model without a filter on its collection fails here,
unless the relation is added, with the reason, to that FilterSet's ignore list below.
"""

import pytest
from django.db.models import ForeignKey, ManyToManyField
from django.http import QueryDict

from events.filtersets import ActorFilterSet, ClaimFilterSet, EventFilterSet, PlaceFilterSet
from sources.filtersets import SourceFilterSet

FILTERSETS = [ActorFilterSet, PlaceFilterSet, EventFilterSet, ClaimFilterSet, SourceFilterSet]

# Relations whose filter has another name than the field: the contract's singular `actor`.
FILTER_NAMES = {
    (EventFilterSet, "actors"): "actor",
}

# Relations deliberately not filterable, per FilterSet.
IGNORED = {
    EventFilterSet: {
        # A campaign grouping events is not in the v1 contract; its parts are found by date and place.
        "part_of",
    },
    ClaimFilterSet: {
        # Claims about an actor rather than an event: not in the v1 contract (search covers the claimant).
        "about_actor",
        # Support/contradiction links are shown on each claim and summarised as an event's `disputed`.
        "related_claims",
    },
}

COMMON_FILTERS = {"search", "ordering", "updated_since"}


def forward_relations(model) -> set[str]:
    """The model's own foreign keys and many-to-many fields (not relations pointing at it)."""
    return {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey | ManyToManyField) and not field.auto_created
    }


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_every_forward_relation_has_a_filter(filterset):
    model = filterset._meta.model
    relations = forward_relations(model)
    ignored = IGNORED.get(filterset, set())

    assert ignored <= relations, f"stale ignore list of {filterset.__name__}: {ignored - relations}"
    missing = {
        name
        for name in relations - ignored
        if FILTER_NAMES.get((filterset, name), name) not in filterset.base_filters
    }
    assert not missing, f"{model.__name__} relations without a filter on {filterset.__name__}: {missing}"


@pytest.mark.parametrize(
    ("model", "relations"),
    [
        (ActorFilterSet._meta.model, {"parent"}),
        (PlaceFilterSet._meta.model, set()),
        (EventFilterSet._meta.model, {"place", "part_of", "actors"}),
        (ClaimFilterSet._meta.model, {"claimant", "source", "event", "about_actor", "related_claims"}),
        (SourceFilterSet._meta.model, {"reported_in"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_the_check_sees_the_models_own_relations(model, relations):
    """The coverage check is not vacuous: it finds today's relations, and no reverse ones (`children`,
    `events`, `claims`, `history`...), which are another collection's filters."""
    found = forward_relations(model)
    assert relations <= found
    assert not {"children", "events", "claims", "claims_made", "history", "reported_sources"} & found


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_every_filterset_has_search_ordering_and_updated_since(filterset):
    assert set(filterset.base_filters) >= COMMON_FILTERS
    assert filterset.base_filters["updated_since"].field_name == "updated_at"


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_a_filter_whose_parameter_is_absent_filters_nothing(filterset):
    """A request's form holds the parameters given only (conflictdb/filters.py GivenParametersForm): a
    filter that did something without its parameter (a default) would silently stop doing it."""
    bound = filterset(QueryDict(), queryset=filterset._meta.model.objects.all())
    unfiltered = str(bound.queryset.query)
    for name, filter_ in bound.filters.items():
        field = filter_.field
        value = field.clean(field.widget.value_from_datadict({}, {}, name))
        assert str(filter_.filter(bound.queryset, value).query) == unfiltered, name
