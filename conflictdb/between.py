"""The changes between two points of the history: each record changed, once, with its state at the later.

A record changed between `since` and `until` when one of its versions, or of its link rows (an event's
actors, a claim's relations), is in the past of `until` and not of `since` (conflictdb/past.py). Each such
record is given once, as it is at `until`:
- `create`: absent at `since`, present at `until`;
- `update`: present at both (its form at `until` may equal its form at `since`, if it was changed back);
- `delete`: present at `since`, absent at `until`: a tombstone, with its slug at `since`.
A record created and deleted in between is in neither: it is left out, so that applying the changes to the
records at `since` gives the records at `until`, and nothing else. Synthetic benchmark records (kept
without versions) never appear.

Records are listed by collection (in the order given), then by id; a page ends at a position
(`table,id`) from which the next one starts.
"""

from django.db.models import F

from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.past import AtPoint, Point, in_past, not_in_past, record_forms, versions_of
from conflictdb.versions import link_tables

Collection = tuple[str, type, dict]  # (name, model, item keys of its link lists)


def changed_ids(model, item_keys: dict, since: Point, until: Point, after_id: int, limit: int) -> list[int]:
    """The ids of `model`'s records changed between the points, above `after_id`, the first `limit`."""
    changed = in_past(until) & not_in_past(since)
    own = versions_of(model).objects.filter(changed, pgh_obj_id__gt=after_id)
    parts = [own.values_list("pgh_obj_id", flat=True)]
    for _name, link_versions, parent, _keys in link_tables(model, item_keys):
        links = link_versions.objects.filter(changed, **{f"{parent}_id__gt": after_id})
        parts.append(links.values_list(F(f"{parent}_id"), flat=True))
    ids = parts[0].union(*parts[1:]).order_by("pgh_obj_id") if len(parts) > 1 else parts[0].distinct()
    return list(ids.order_by("pgh_obj_id")[:limit])


def present_at(point: Point, model, ids) -> dict[int, object]:
    """{id: latest version} of the records among `ids` present at `point`."""
    reader = AtPoint(point)
    return {reader.key(row): row for row in reader.rows(model, pk__in=ids)}


def changes_between(
    collections: list[Collection], *, since: Point, until: Point, after: tuple[str, int] | None, limit: int
) -> tuple[list[dict], tuple[str, int] | None]:
    """The records changed between the points, from after `after`, `limit` changed records at most (fewer
    are listed when some were created and deleted in between), and the position to go on from (None when
    there is no more)."""
    tables = [versions_of(model)._meta.db_table for _name, model, _keys in collections]
    start = tables.index(after[0]) if after else 0
    results, budget = [], limit
    for (name, model, item_keys), table in list(zip(collections, tables, strict=True))[start:]:
        after_id = after[1] if after and table == after[0] else 0
        ids = changed_ids(model, item_keys, since, until, after_id, budget + 1)
        more, ids = len(ids) > budget, ids[:budget]
        budget -= len(ids)
        before, now = present_at(since, model, ids), present_at(until, model, ids)
        forms = dict(
            zip(now, record_forms(AtPoint(until), model, list(now.values()), item_keys), strict=True)
        )
        for record_id in ids:
            if record_id in now:
                action, slug = ("update" if record_id in before else "create"), now[record_id].slug
            elif record_id in before:
                action, slug = "delete", before[record_id].slug
            else:
                continue  # created and deleted in between
            if not slug.startswith(SYNTHETIC_PREFIX):
                results.append(
                    {"collection": name, "slug": slug, "action": action, "record": forms.get(record_id)}
                )
        if more or (budget == 0 and ids):
            return results, (table, ids[-1])
    return results, None
