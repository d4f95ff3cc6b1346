"""Loading the dataset: every record through the API's write serializers, in one transaction.

A record is validated by the serializer that validates it in the API, and saved by that serializer's
save (events/services.py for events and claims), so that a record loaded from a file and the same
record written through the API leave the same rows and the same history: only what changed is written,
and a load of what is already there writes nothing at all. Records are written kind by kind (a kind
refers only to those before it, or to itself), those referring to another of their kind after it, and
link lists once every record of the kind exists. What names records of a later kind or rests on them (an
event's actors and evidence name claims, its fatalities rest on them: `written_after_later_kinds`) is
written once every kind is, as an API client writes an event, then its claims, then its fatalities.
A rejected record is not written; the others still are, so that every problem is found in one run; then,
if any was rejected, the whole transaction is rolled back.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from drf_standardized_errors.formatter import flatten_errors

from conflictdb.slugs import record_ids
from events.dataset.kinds import KINDS, Kind
from events.dataset.reading import DatasetError, Record, Rejection, form_problems, read_records

NOT_FOUND = "does_not_exist"  # the code of a SlugReference's error: no record with that slug


@dataclass
class Report:
    """How many records of each kind a load created, updated and left unchanged."""

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


def value_at(data, attr: str):
    """The value an error's path (`parent`, `actors.0.actor`) points to in a record's data."""
    for step in attr.split("."):
        if isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def in_dependency_order(kind: Kind, records: list[Record]) -> list[Record]:
    """`records` ordered so that one referring to another of its kind comes after it."""
    by_slug = {r.slug: r for r in records}
    ordered, placed = [], set()

    def place(slug, chain=()):
        if slug in placed or slug not in by_slug:
            return
        if slug in chain:
            record = by_slug[slug]
            cycle = " -> ".join((*chain, slug))
            message = f"refers to itself through a cycle: {cycle}"
            raise DatasetError([record.rejection(kind.self_references[0], message)])
        for name in kind.self_references:
            place(by_slug[slug].data.get(name), (*chain, slug))
        placed.add(slug)
        ordered.append(by_slug[slug])

    for slug in by_slug:
        place(slug)
    return ordered


def previous_slugs(record: Record) -> list[str]:
    """The previous slugs a record's file gives (those that are text: the serializer reports the rest)."""
    given = record.data.get("previous_slugs")
    return [slug for slug in given if isinstance(slug, str)] if isinstance(given, list) else []


class Loader:
    """Writes the records kind by kind, collecting every rejection."""

    def __init__(self, records: list[Record]):
        self.records = records
        self.rejected: list[Rejection] = []
        # Records of the files that were not written, by model: a reference to one of them is not a
        # problem of its own (the record's own problem is reported), only a record that cannot be written.
        self.unwritten: dict = defaultdict(set)
        self.report = Report()

    def run(self) -> Report:
        outcomes: dict = {kind.key: {} for kind in KINDS}
        last = []  # (record, instance, data): what is written once every kind is
        for kind in KINDS:
            records = in_dependency_order(kind, self.well_formed(kind))
            existing = self.existing(kind, records)
            records = [record for record in records if record.slug not in self.unwritten[kind.model]]
            saved, deferred = {}, []
            pending = {record.slug for record in records}  # of the files, not written yet
            for record in records:
                instance = existing.get(record.slug)
                now, later = self.split_links(record, pending)
                final = {name: now.pop(name) for name in kind.written_after_later_kinds if name in now}
                if final and self.all_exist(kind.serializer.named_later(final)):
                    now, final = now | final, {}  # in one write, as the API would: one version
                serializer = self.save(record, instance, now)
                pending.discard(record.slug)
                if serializer is None:
                    continue
                saved[record.slug] = serializer.instance
                outcomes[kind.key][record.slug] = (
                    "created" if instance is None else "updated" if serializer.written else "unchanged"
                )
                if later:
                    deferred.append((record, saved[record.slug], later))
                if final:
                    last.append((record, saved[record.slug], final))
            # Links to records of the kind that came later, now that they exist.
            self.save_rest(deferred, outcomes[kind.key])
        # What names records of a later kind, or rests on them, now that they exist.
        for record, instance, data in last:
            self.save_rest([(record, instance, data)], outcomes[record.kind.key])
        for key, by_slug in outcomes.items():
            for outcome in by_slug.values():
                self.report.add(key, outcome)
        if self.rejected:
            raise DatasetError(self.rejected)
        return self.report

    @staticmethod
    def all_exist(named: tuple) -> bool:
        """Whether the records (model, slugs) are all in the database already."""
        model, slugs = named
        return len(set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))) == len(slugs)

    def save_rest(self, rest, outcomes: dict):
        """Save the rest of records already written once; a record left unchanged then is updated if
        the rest changes it."""
        for record, instance, data in rest:
            serializer = self.save(record, instance, data)
            if serializer is not None and serializer.written and outcomes[record.slug] == "unchanged":
                outcomes[record.slug] = "updated"

    def existing(self, kind: Kind, records: list[Record]) -> dict:
        """{slug: record in the database} for the `records` that are there, found by their slug or by one
        of their `previous_slugs` (a record renamed in its file; conflictdb/slugs.py). A record whose
        slugs name two records of the database is rejected."""
        names = {record.slug: [record.slug, *previous_slugs(record)] for record in records}
        ids = record_ids(kind.model, {name for slugs in names.values() for name in slugs})
        instances = kind.model.objects.in_bulk(set(ids.values()))
        found = {}
        for record in records:
            named = {ids[name] for name in names[record.slug] if name in ids}
            if len(named) > 1:
                slugs = ", ".join(instances[pk].slug for pk in sorted(named))
                self.rejected.append(record.rejection("previous_slugs", f"names several records: {slugs}"))
                self.unwritten[kind.model].add(record.slug)
            elif named:
                found[record.slug] = instances[named.pop()]
        return found

    @staticmethod
    def split_links(record: Record, pending: set[str]) -> tuple[dict, dict]:
        """The record's data to save now, and the link lists to save once the records of its kind they
        name (those still `pending`) are written."""
        later = {}
        for name, key in record.kind.links_to_own_kind.items():
            items = record.data.get(name)
            items = items if isinstance(items, list) else []
            named = [item.get(key) for item in items if isinstance(item, dict)]
            if any(isinstance(slug, str) and slug in pending for slug in named):
                later[name] = items
        return {name: value for name, value in record.data.items() if name not in later}, later

    def well_formed(self, kind: Kind) -> list[Record]:
        """The records of `kind` that have only known keys, and slugs (current and previous) no other
        record of theirs has."""
        records, seen = [], {}
        for record in (r for r in self.records if r.kind is kind):
            problems = form_problems(record)
            for name, slug in [
                ("slug", record.slug),
                *(("previous_slugs", s) for s in previous_slugs(record)),
            ]:
                if slug in seen:
                    problems.append(record.rejection(name, f"duplicate slug {slug}, also in {seen[slug]}"))
                seen.setdefault(slug, record.path)
            if problems:
                self.rejected += problems
                self.unwritten[kind.model].add(record.slug)
            else:
                records.append(record)
        return records

    def save(self, record: Record, instance, data: dict):
        """Validate `data` (all or part of the record) as the API does and save it; the serializer, or
        None when the record is rejected."""
        kind = record.kind
        serializer = kind.serializer(instance=instance, data=data, partial=instance is not None)
        if serializer.is_valid():
            serializer.save()
            return serializer
        self.unwritten[kind.model].add(record.slug)
        for error in flatten_errors(serializer.errors):
            attr = error.attr if error.attr and error.attr != "non_field_errors" else "record"
            model = kind.reference_model(attr) if error.code == NOT_FOUND else None
            if model is None or value_at(record.data, attr) not in self.unwritten[model]:
                self.rejected.append(record.rejection(attr, error.detail))
        return None


def load(paths, *, dry_run: bool = False) -> Report:
    """Validate then load the dataset files under `paths` in one transaction.

    Raises DatasetError, having written nothing, when any record is rejected. A dry run validates and
    counts exactly as a real load does, then rolls back.
    """
    records, rejected = read_records(paths)
    if rejected:
        raise DatasetError(rejected)
    with transaction.atomic():
        report = Loader(records).run()
        if dry_run:
            transaction.set_rollback(True)
    return report
