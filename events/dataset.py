"""Reading and writing the curated dataset (the JSON files under fixtures/).

`load` validates every record of every file before writing anything, then writes all of it in one
transaction; `export` writes the database back in the same format, so that load followed by export of
the shipped fixtures is byte-identical. The format is described in fixtures/README.md.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from conflictdb.models import SYNTHETIC_PREFIX
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import ActorRole, ClaimRelationKind
from sources.models import Source


@dataclass(frozen=True)
class Child:
    """A list of link records inside a parent record (an event's actors, a claim's relations)."""

    key: str  # the key in the parent's JSON record
    model: type[models.Model]
    parent_field: str  # the link's foreign key to the parent
    target_key: str  # the JSON key naming the linked record by slug
    target_field: str  # the link's foreign key to the linked record
    target_model: type[models.Model]
    kind_field: str  # the link's vocabulary field
    kinds: type[models.TextChoices]
    extra: tuple[str, ...] = ()  # other plain fields of the link


@dataclass(frozen=True)
class Kind:
    """One collection of the dataset: its JSON key, model, field order and references by slug."""

    key: str
    model: type[models.Model]
    field_list: str  # the record's keys in file order, space-separated
    refs: dict[str, type[models.Model]] = field(default_factory=dict)
    child: Child | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.field_list.split())

    @property
    def scalar_fields(self) -> list[str]:
        return [
            name
            for name in self.fields
            if name not in self.refs and name != "slug" and not self._is_child(name)
        ]

    def _is_child(self, name: str) -> bool:
        return self.child is not None and name == self.child.key


SOURCE_FIELDS = (
    "slug kind title publisher authors dateline published_on date_precision date_inferred language url "
    "reported_in notes"
)
EVENT_FIELDS = (
    "slug title summary event_type sub_event_type start_date end_date date_precision place part_of actors "
    "fatalities_low fatalities_best fatalities_high"
)
CLAIM_FIELDS = (
    "slug claim_type claimant source event about_actor statement quote value value_low value_high "
    "value_is_lower_bound unit made_on date_precision is_self_report status status_reason relations"
)

# In the order they load: a kind refers only to kinds before it, or to itself.
KINDS = (
    Kind("sources", Source, SOURCE_FIELDS, {"reported_in": Source}),
    Kind("actors", Actor, "slug name kind country parent aliases description", {"parent": Actor}),
    Kind("places", Place, "slug name aliases country admin1 latitude longitude geo_precision"),
    Kind(
        "events",
        Event,
        EVENT_FIELDS,
        {"place": Place, "part_of": Event},
        Child("actors", EventActor, "event", "actor", "actor", Actor, "role", ActorRole),
    ),
    Kind(
        "claims",
        Claim,
        CLAIM_FIELDS,
        {"claimant": Actor, "source": Source, "event": Event, "about_actor": Actor},
        Child(
            "relations",
            ClaimRelation,
            "from_claim",
            "claim",
            "to_claim",
            Claim,
            "kind",
            ClaimRelationKind,
            ("note",),
        ),
    ),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_BY_MODEL = {kind.model: kind for kind in KINDS}


class DatasetError(Exception):
    """The files cannot be loaded; `rejected` lists every problem found."""

    def __init__(self, rejected):
        self.rejected = rejected
        super().__init__(f"{len(rejected)} problem(s):\n" + "\n".join(map(str, rejected)))


@dataclass
class Rejection:
    path: str
    kind: str
    index: int
    slug: str
    field: str
    message: str

    def __str__(self):
        where = f"{self.path} {self.kind}[{self.index}]"
        return f"{where} slug={self.slug or '?'} field={self.field}: {self.message}"


@dataclass
class Record:
    """A record as read from a file, with where it came from for error messages."""

    path: str
    kind: Kind
    index: int
    data: dict

    @property
    def slug(self) -> str:
        return self.data.get("slug") or ""


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, kind: str, outcome: str):
        self.counts[kind][outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(per_kind[outcome] for per_kind in self.counts.values())

    def lines(self) -> list[str]:
        lines = []
        for kind in KINDS:
            c = self.counts[kind.key]
            lines.append(
                f"{kind.key}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            )
        return lines


# Reading ---------------------------------------------------------------------------------------------


def dataset_files(paths) -> list[Path]:
    """The JSON files named, or found under the folders named, in a stable order."""
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return files


def read_records(paths) -> tuple[list[Record], list[Rejection]]:
    records, rejected = [], []
    for path in dataset_files(paths):
        try:
            content = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            rejected.append(Rejection(str(path), "file", 0, "", "-", f"cannot be read as JSON: {exc}"))
            continue
        if not isinstance(content, dict):
            rejected.append(Rejection(str(path), "file", 0, "", "-", "must be a JSON object of lists"))
            continue
        for key, items in content.items():
            if key not in KIND_BY_KEY or not isinstance(items, list):
                allowed = ", ".join(KIND_BY_KEY)
                rejected.append(
                    Rejection(str(path), key, 0, "", key, f"must be one of {allowed}, each a list")
                )
                continue
            for index, data in enumerate(items):
                if not isinstance(data, dict):
                    rejected.append(
                        Rejection(str(path), key, index, "", "-", "a record must be a JSON object")
                    )
                    continue
                records.append(Record(str(path), KIND_BY_KEY[key], index, data))
    return records, rejected


# Validating ------------------------------------------------------------------------------------------


class Loader:
    """Validates records against the models and each other, then writes them in one transaction."""

    def __init__(self, records: list[Record]):
        self.records = records
        self.rejected: list[Rejection] = []
        self.instances: dict = {}
        self.by_kind: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            self.by_kind[record.kind.key].append(record)
        # Slugs known per model: those in the files and those already in the database.
        self.known = {
            kind.model: {r.slug for r in self.by_kind[kind.key]}
            | set(kind.model.objects.values_list("slug", flat=True))
            for kind in KINDS
        }

    def reject(self, record: Record, field_name: str, message: str):
        self.rejected.append(
            Rejection(record.path, record.kind.key, record.index, record.slug, field_name, message)
        )

    def validate(self):
        for kind in KINDS:
            seen = {}
            existing = kind.model.objects.in_bulk([r.slug for r in self.by_kind[kind.key]], field_name="slug")
            for record in self.by_kind[kind.key]:
                if record.slug in seen:
                    self.reject(record, "slug", f"duplicate slug, also in {seen[record.slug]}")
                    continue
                seen[record.slug] = record.path
                self.validate_record(record, existing.get(record.slug))
        if self.rejected:
            raise DatasetError(self.rejected)

    def validate_record(self, record: Record, existing):
        kind = record.kind
        unknown = sorted(set(record.data) - set(kind.fields))
        for name in unknown:
            self.reject(record, name, f"unknown field; fields are: {', '.join(kind.fields)}")
        for name, model in kind.refs.items():
            slug = record.data.get(name)
            if slug not in (None, "") and slug not in self.known[model]:
                self.reject(record, name, f"no {model._meta.verbose_name} with slug {slug!r}")
        if kind.child:
            self.validate_children(record)
        instance = existing or kind.model()
        instance.slug = record.slug
        try:
            self.assign_scalars(instance, record)
            instance.full_clean(exclude=list(kind.refs))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.reject(record, "record" if name == "__all__" else name, " ".join(messages))

    def validate_children(self, record: Record):
        child = record.kind.child
        items = record.data.get(child.key, [])
        if not isinstance(items, list):
            self.reject(record, child.key, "must be a list")
            return
        seen = set()
        for item in items:
            fields = {child.target_key, child.kind_field, *child.extra}
            if not isinstance(item, dict) or not set(item) <= fields or child.target_key not in item:
                self.reject(record, child.key, f"each item must be an object with keys {sorted(fields)}")
                continue
            target, kind_value = item[child.target_key], item.get(child.kind_field)
            if target not in self.known[child.target_model]:
                name = child.target_model._meta.verbose_name
                self.reject(record, child.key, f"no {name} with slug {target!r}")
            if kind_value not in child.kinds.values:
                allowed = ", ".join(child.kinds.values)
                self.reject(record, child.key, f"{child.kind_field} {kind_value!r} is not one of {allowed}")
            if child.target_model is record.kind.model and target == record.slug:
                self.reject(record, child.key, "a record cannot refer to itself")
            if (target, kind_value) in seen:
                self.reject(record, child.key, f"{target} appears twice as {kind_value}")
            seen.add((target, kind_value))

    @staticmethod
    def assign_scalars(instance, record: Record):
        errors = {}
        for name in record.kind.scalar_fields:
            model_field = instance._meta.get_field(name)
            if name not in record.data:
                continue  # an omitted field keeps its current (or default) value
            raw = record.data[name]
            try:
                value = model_field.to_python(raw)
                if value is None and not model_field.null:
                    value = "" if isinstance(model_field, models.CharField | models.TextField) else value
                setattr(instance, name, value)
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)

    # Writing -----------------------------------------------------------------------------------------

    def write(self, report: Report):
        for kind in KINDS:
            records = self.in_dependency_order(kind)
            existing = kind.model.objects.in_bulk([r.slug for r in records], field_name="slug")
            outcomes = {r.slug: self.write_record(r, existing.get(r.slug)) for r in records}
            # Links are written once every record of the kind exists: a claim may relate to a later claim.
            for record in records:
                parent = self.resolve(kind.model, record.slug)
                if (
                    kind.child
                    and self.write_children(record, parent)
                    and outcomes[record.slug] == "unchanged"
                ):
                    outcomes[record.slug] = "updated"
            for outcome in outcomes.values():
                report.add(kind.key, outcome)

    def resolve(self, model, slug):
        """The record of `model` with `slug`, fetched once per load."""
        key = (model, slug)
        if key not in self.instances:
            self.instances[key] = model.objects.get(slug=slug)
        return self.instances[key]

    def in_dependency_order(self, kind: Kind) -> list[Record]:
        """Records ordered so that one referring to another of its kind comes after it."""
        self_refs = [name for name, model in kind.refs.items() if model is kind.model]
        records = {r.slug: r for r in self.by_kind[kind.key]}
        ordered, placed = [], set()

        def place(slug, chain=()):
            if slug in placed or slug not in records:
                return
            if slug in chain:
                raise DatasetError(
                    [
                        Rejection(
                            records[slug].path,
                            kind.key,
                            records[slug].index,
                            slug,
                            self_refs[0],
                            "refers to itself through a cycle: " + " -> ".join(chain),
                        )
                    ]
                )
            for name in self_refs:
                place(records[slug].data.get(name), (*chain, slug))
            placed.add(slug)
            ordered.append(records[slug])

        for slug in records:
            place(slug)
        return ordered

    def write_record(self, record: Record, instance) -> str:
        """Create or update one record's own fields; return "created", "updated" or "unchanged"."""
        kind = record.kind
        created = instance is None
        if created:
            instance = kind.model(slug=record.slug)
        before = {name: getattr(instance, name) for name in kind.scalar_fields} if not created else None
        before_refs = {name: getattr(instance, f"{name}_id") for name in kind.refs} if not created else None
        self.assign_scalars(instance, record)
        for name, model in kind.refs.items():
            if name in record.data:
                slug = record.data[name]
                setattr(instance, name, self.resolve(model, slug) if slug else None)
        changed = (
            created
            or before != {n: getattr(instance, n) for n in kind.scalar_fields}
            or before_refs != {n: getattr(instance, f"{n}_id") for n in kind.refs}
        )
        if changed:
            instance.save()
        self.instances[(kind.model, record.slug)] = instance
        return "created" if created else "updated" if changed else "unchanged"

    @staticmethod
    def write_children(record: Record, parent) -> bool:
        """Make the parent's links those of the record; return whether anything changed."""
        child = record.kind.child
        if child.key not in record.data:
            return False
        wanted = {
            (item[child.target_key], item[child.kind_field], *(item.get(name, "") for name in child.extra))
            for item in record.data[child.key]
        }
        links = child.model.objects.filter(**{child.parent_field: parent}).select_related(child.target_field)
        current = {
            (
                getattr(link, child.target_field).slug,
                getattr(link, child.kind_field),
                *(getattr(link, name) for name in child.extra),
            )
            for link in links
        }
        if wanted == current:
            return False
        links.delete()
        targets = child.target_model.objects.in_bulk([w[0] for w in wanted], field_name="slug")
        child.model.objects.bulk_create(
            child.model(
                **{
                    child.parent_field: parent,
                    child.target_field: targets[target],
                    child.kind_field: kind_value,
                },
                **dict(zip(child.extra, extra, strict=True)),
            )
            for target, kind_value, *extra in wanted
        )
        return True


def load(paths, *, dry_run: bool = False) -> Report:
    """Validate then load the dataset files under `paths` in one transaction.

    Raises DatasetError, having written nothing, when any record is rejected. A dry run validates and
    counts exactly as a real load does, then rolls back.
    """
    records, rejected = read_records(paths)
    if rejected:
        raise DatasetError(rejected)
    report = Report()
    with transaction.atomic():
        loader = Loader(records)
        loader.validate()
        loader.write(report)
        if dry_run:
            transaction.set_rollback(True)
    return report


# Exporting -------------------------------------------------------------------------------------------


def to_json(value):
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def serialize(kind: Kind, instance) -> dict:
    """One record in file form: every field, in the documented order, references by slug."""
    data = {}
    for name in kind.fields:
        if kind.child and name == kind.child.key:
            data[name] = serialize_children(kind.child, instance)
        elif name in kind.refs:
            related = getattr(instance, name)
            data[name] = related.slug if related else None
        else:
            data[name] = to_json(getattr(instance, name))
    return data


def serialize_children(child: Child, parent) -> list[dict]:
    related_name = child.model._meta.get_field(child.parent_field).remote_field.related_name
    links = getattr(parent, related_name).all()
    items = [
        {
            child.target_key: getattr(link, child.target_field).slug,
            child.kind_field: getattr(link, child.kind_field),
            **{name: getattr(link, name) for name in child.extra},
        }
        for link in links
    ]
    return sorted(items, key=lambda item: (item[child.kind_field], item[child.target_key]))


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
    from django.db.models import Prefetch

    sources = {s.id: s for s in curated(Source).select_related("reported_in")}
    files: dict[str, dict[str, list]] = defaultdict(lambda: {"sources": [], "events": [], "claims": []})

    def article_file(source):
        return f"articles/{root_of(source, sources).slug}.json"

    for source in sources.values():
        files[article_file(source)]["sources"].append(serialize(KIND_BY_KEY["sources"], source))
    actors = curated(Actor).select_related("parent")
    places = curated(Place)
    registries = {"actors.json": {"actors": actors}, "places.json": {"places": places}}
    for name, content in registries.items():
        ((key, queryset),) = content.items()
        files[name] = {key: [serialize(KIND_BY_KEY[key], record) for record in queryset]}

    links = EventActor.objects.select_related("actor")
    events = (
        curated(Event)
        .select_related("place", "part_of")
        .prefetch_related(
            Prefetch("event_actors", queryset=links),
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
        files[name]["events"].append(serialize(KIND_BY_KEY["events"], event))

    relations = ClaimRelation.objects.select_related("to_claim")
    claims = (
        curated(Claim)
        .select_related("claimant", "source", "event", "about_actor")
        .prefetch_related(Prefetch("relations", queryset=relations))
    )
    for claim in claims:
        files[article_file(sources[claim.source_id])]["claims"].append(
            serialize(KIND_BY_KEY["claims"], claim)
        )

    written = []
    for name, content in sorted(files.items()):
        if name == "events.json":
            content = {"events": content["events"]}
        for records in content.values():
            records.sort(key=lambda record: record["slug"])
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
