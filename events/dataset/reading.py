"""Reading the dataset files into records, and the problems a load reports."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from events.dataset.kinds import KIND_BY_KEY, Kind


@dataclass
class Rejection:
    """One problem: the file, the collection and index of the record in it, its slug and the field."""

    path: str
    kind: str
    index: int
    slug: str
    field: str
    message: str

    def __str__(self):
        where = f"{self.path} {self.kind}[{self.index}]"
        return f"{where} slug={self.slug or '?'} field={self.field}: {self.message}"


class DatasetError(Exception):
    """The files cannot be loaded; `rejected` lists every problem found."""

    def __init__(self, rejected: list[Rejection]):
        self.rejected = rejected
        super().__init__(f"{len(rejected)} problem(s):\n" + "\n".join(map(str, rejected)))


@dataclass
class Record:
    """A record as read from a file, with where it came from for error messages."""

    path: str
    kind: Kind
    index: int
    data: dict

    @property
    def slug(self) -> str:
        slug = self.data.get("slug")
        return slug if isinstance(slug, str) else ""

    def rejection(self, field: str, message: str) -> Rejection:
        return Rejection(self.path, self.kind.key, self.index, self.slug, field, message)


def dataset_files(paths) -> list[Path]:
    """The JSON files named, or found under the folders named, in a stable order."""
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return files


def read_records(paths) -> tuple[list[Record], list[Rejection]]:
    """Every record of the files, and what cannot be read as records at all."""
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


def form_problems(record: Record) -> list[Rejection]:
    """Keys the record or its link items should not have (the API ignores them; a file should not
    carry what would be lost), and slugs that are not text."""
    kind = record.kind
    problems = [
        record.rejection(name, f"unknown field; fields are: {', '.join(kind.fields)}")
        for name in record.data
        if name not in kind.fields
    ]
    if not isinstance(record.data.get("slug"), str):
        problems.append(record.rejection("slug", "a slug is required, as text"))
    for name, keys in kind.item_fields.items():
        items = record.data.get(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            unknown = sorted(set(item) - set(keys)) if isinstance(item, dict) else []
            problems += [
                record.rejection(f"{name}.{index}.{key}", f"unknown field; fields are: {', '.join(keys)}")
                for key in unknown
            ]
    return problems
