"""Slugs that stay published: a renamed record keeps its previous slugs, and they still lead to it.

Each record has `slug` and `previous_slugs` (conflictdb/models.py). Triggers on every record table keep
both rules however a row is written (the API, the loader, the admin, raw SQL):
- a rename appends the old slug to `previous_slugs` (moved last when it was already there, so that the
  last previous slug is the one the record was renamed from), and no previous slug is ever taken away;
- every slug of a record, current and previous, is a row of `PublishedSlug`, whose unique index on
  (kind, slug) refuses a slug that is or was another record's. A table of every slug rather than of
  retired ones alone: one unique index then decides every case, two writes at once included, where a
  check of two tables against each other would let two concurrent writes pass it.
A deleted record frees its slugs, as it always freed its current one.

Readers reach a record by any of its slugs: an old URL answers with a redirect to the new one
(conflictdb/views.py), a filter or a reference by an old slug selects the record (conflictdb/filters.py,
conflictdb/serializers.py), the loader finds a renamed record by the previous slugs its file lists.
"""

import pgtrigger
from django.db.models import OuterRef, Subquery

from conflictdb.models import PublishedSlug

# Row by row before a write: the old slug kept, none dropped, the list without repeats or the current slug.
KEEP_PREVIOUS = """
IF TG_OP = 'UPDATE' THEN
    IF NEW.slug IS DISTINCT FROM OLD.slug THEN
        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;
    END IF;
    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)
               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN
        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';
    END IF;
END IF;
NEW.previous_slugs := ARRAY(
    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)
    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)
);
RETURN NEW;
"""
TABLE = PublishedSlug._meta.db_table
# After an insert statement (a COPY of a million rows included): each new record's slugs, at once.
PUBLISH_NEW = f"""
INSERT INTO {TABLE} (kind, slug, record_id)
SELECT TG_TABLE_NAME, s.slug, n.id
FROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);
RETURN NULL;
"""
# After a row's slugs change: those it did not have yet.
PUBLISH_CHANGED = f"""
INSERT INTO {TABLE} (kind, slug, record_id)
SELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)
WHERE NOT EXISTS (
    SELECT FROM {TABLE} p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id
);
RETURN NULL;
"""
FREE_DELETED = f"""
DELETE FROM {TABLE} p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;
RETURN NULL;
"""

SLUG_TRIGGERS = [
    pgtrigger.Trigger(
        name="previous_slugs_kept",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=KEEP_PREVIOUS,
    ),
    pgtrigger.Composer(
        name="slugs_published_insert",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        func=PUBLISH_NEW,
    ),
    pgtrigger.Trigger(
        name="slugs_published_update",
        when=pgtrigger.After,
        operation=pgtrigger.UpdateOf("slug", "previous_slugs"),
        condition=pgtrigger.Condition(
            "OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs"
        ),
        func=PUBLISH_CHANGED,
    ),
    pgtrigger.Composer(
        name="slugs_published_delete",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Delete,
        func=FREE_DELETED,
    ),
]


def published(model, slugs):
    """`PublishedSlug` rows of `model`'s records for any of `slugs`, current or previous."""
    return PublishedSlug.objects.filter(kind=model._meta.db_table, slug__in=list(slugs))


def record_ids(model, slugs) -> dict[str, int]:
    """{slug: the id of the record of `model` that has or had it}, for the `slugs` that name one."""
    return dict(published(model, slugs).values_list("slug", "record_id"))


def renamed(queryset, slug: str):
    """The record of `queryset` that had `slug` before a rename, or None (one query)."""
    owner = published(queryset.model, [slug]).filter(record_id=OuterRef("pk"))
    return queryset.filter(pk__in=Subquery(owner.values("record_id"))).exclude(slug=slug).first()
