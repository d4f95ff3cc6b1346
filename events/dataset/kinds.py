"""The collections of the dataset, each described by the API serializer that writes its records."""

from dataclasses import dataclass
from functools import cached_property

from rest_framework import serializers

from conflictdb.fieldlists import link_lists, references
from conflictdb.serializers import RecordSerializer
from events.api.serializers import (
    ActorSerializer,
    ClaimWriteSerializer,
    EventWriteSerializer,
    PlaceSerializer,
)
from sources.api.serializers import SourceSerializer


@dataclass(frozen=True)
class Kind:
    """One collection of the dataset: a record in a file is a record as its write serializer takes it,
    its keys the model's public fields in their order (its FIELDS)."""

    serializer: type[RecordSerializer]

    @property
    def model(self):
        return self.serializer.Meta.model

    @property
    def key(self) -> str:
        """The record's collection: its key in the files, as in the API's URLs."""
        return str(self.model._meta.verbose_name_plural)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.model.FIELDS

    @property
    def links(self) -> list[str]:
        """Its lists of links (an event's actors, a claim's relations), written once every record of the
        kind exists: a claim may relate to a claim that comes after it."""
        return link_lists(self.model)

    @property
    def self_references(self) -> list[str]:
        """The fields naming another record of the same kind, which must be written first."""
        return [name for name, model in references(self.model).items() if model is self.model]

    @cached_property
    def item_fields(self) -> dict[str, list[str]]:
        """The keys of each link list's items (or of a link object, an event's `evidence`), by link list."""
        return {name: list(item.fields) for name, item in self.link_items().items()}

    def link_items(self) -> dict[str, serializers.Serializer]:
        """The serializer of each link list's items, or of the link object."""
        declared = self.serializer().fields
        return {name: getattr(declared[name], "child", declared[name]) for name in self.links}

    @cached_property
    def links_to_own_kind(self) -> dict[str, str]:
        """The link lists whose items name another record of this kind, with the key that names it (a
        claim's relations, by `claim`)."""
        return {
            name: key
            for name, item in self.link_items().items()
            for key, item_field in item.fields.items()
            if getattr(item_field, "queryset", None) is not None and item_field.queryset.model is self.model
        }

    @property
    def written_after_later_kinds(self) -> tuple[str, ...]:
        """The fields the loader writes once every kind is written: those naming records of a later
        kind, or resting on them (an event's actors and evidence name claims; its fatalities rest on them)."""
        return getattr(self.serializer, "written_after_later_kinds", ())

    def reference_model(self, attr: str):
        """The model that the field at `attr` (an API error's path: `parent`, `actors.0.actor`) names
        by slug, or None when it names none."""
        name, *rest = attr.split(".")
        field = self.serializer().fields.get(name)
        if isinstance(field, serializers.ListSerializer) and len(rest) == 2:
            field = field.child.fields.get(rest[1])
        if isinstance(field, serializers.RelatedField) and field.queryset is not None:
            return field.queryset.model
        return None


# In the order they load: a kind refers only to kinds before it, or to itself.
KINDS = tuple(
    Kind(serializer)
    for serializer in (
        SourceSerializer,
        ActorSerializer,
        PlaceSerializer,
        EventWriteSerializer,
        ClaimWriteSerializer,
    )
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
