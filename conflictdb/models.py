"""Abstract pieces every ConflictDB record shares: a public slug, the slugs it had, and timestamps; the
register of every slug a record of each kind is or was published under (conflictdb/slugs.py); and the
words of the records' search texts (conflictdb/search.py)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

LONGEST_CHAIN = 1000  # steps followed up a chain of records before it is called a cycle anyway

# Every slug of synthetic benchmark data starts with this (`manage.py generate_synthetic`): such records are
# never facts, and the curated dataset's export leaves them out.
SYNTHETIC_PREFIX = "synthetic-"


def vocabulary_index(record: str, field: str) -> models.Index:
    """The index of a column holding a vocabulary's value (a type, a grade, a kind), which is compared
    whole, never matched as a pattern: a plain B-tree, without the `LIKE` twin (varchar_pattern_ops) that
    Django adds to `db_index=True` on a text column. The twin served no query and cost its share of every
    write and load (at a million claims, 3 s per twin of a load's 83 s of index builds)."""
    return models.Index(fields=[field], name=f"{record}_{field}")


class DatePrecision(models.TextChoices):
    """How exactly a date is known. A range's start and end bound the dates it could be."""

    DAY = "day", "Day"
    RANGE = "range", "Range of days"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class PublicRecord(models.Model):
    """A record with a stable public slug and creation/update times."""

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Public identifier; a rename keeps the old one published."
    )
    # Kept by a trigger (conflictdb/slugs.py): a rename appends the old slug; none is ever taken away.
    previous_slugs = ArrayField(
        models.SlugField(max_length=120),
        blank=True,
        default=list,
        db_default=[],
        help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Filled by a database trigger from the record's names and texts; see conflictdb/search.py.
    search_names = models.TextField(default="", editable=False)
    search_text = models.TextField(default="", editable=False)

    class Meta:
        abstract = True
        ordering = ["slug"]

    def __str__(self):
        return self.slug

    def clean(self):
        """A reference to a record of the same kind (an actor's parent, an event's larger event, the
        source a source was reported in) never leads back to this record, however long the chain."""
        super().clean()
        errors = {}
        for field in self._meta.concrete_fields:
            if field.many_to_one and field.related_model is type(self):
                chain = self.chain_back_to_itself(field)
                if chain:
                    errors[field.name] = f"This would make a cycle: {' -> '.join(chain)}."
        if errors:
            raise ValidationError(errors)

    def chain_back_to_itself(self, field) -> list[str] | None:
        """The slugs from this record up the `field` chain back to it, or None when the chain ends."""
        if self.pk is None:
            return None  # nothing refers to a record not yet written
        chain, seen, step = [self.slug], {self.pk}, getattr(self, field.attname)
        records = type(self).objects.values_list("slug", field.attname)
        while step is not None and len(chain) <= LONGEST_CHAIN:
            slug, up = records.filter(pk=step).first() or (None, None)
            chain.append(slug)
            if step in seen:
                return chain
            seen.add(step)
            step = up
        return chain if step is not None else None


class PublishedSlug(models.Model):
    """A slug a record of a kind (its table) is or was published under: current and previous slugs alike,
    one row each, written by triggers on the records' tables (conflictdb/slugs.py).

    One unique index over both is what keeps an old URL pointing at one record: a new record cannot take
    a retired slug, nor a record claim another's current one as previous, even by two writes at once.
    """

    kind = models.CharField(max_length=63, help_text="The record's table.")
    # Looked up by kind and slug (the unique index) or kind and record, never by slug alone: no index of
    # its own, whose upkeep every record written paid for.
    slug = models.SlugField(max_length=120, db_index=False)
    record_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="published_slug_unique")]
        indexes = [models.Index(fields=["kind", "record_id"], name="published_slug_record")]

    def __str__(self):
        return f"{self.kind}:{self.slug}"


class SearchWord(models.Model):
    """A word that a record's search text has or had (its `simple` full-text lexeme, lowercased), written
    by statement triggers on the records' tables (conflictdb/search.py); words without a letter (numbers,
    dates) are left out.

    A search finds substrings and other spellings of its words here, among tens of thousands of words
    rather than in a million texts, then the records through their full-text index. Words are only
    added: one no record has any more finds nothing. No unique index: two writes adding the same new word
    at once then never wait for each other; a word written twice is looked up twice, no more.
    """

    word = models.TextField()

    APPEND_ONLY = True  # the application's role adds words, never changes or removes them (roles.py)

    class Meta:
        indexes = [
            models.Index(fields=["word"], name="search_word"),
            # Without GIN's pending list (fastupdate): words come rarely and a few at a time, and every
            # search reads the list whole until a vacuum empties it (30 ms instead of 1 for a word's
            # lookup after a million events' load).
            GinIndex(OpClass(F("word"), name="gin_trgm_ops"), name="search_word_trigrams", fastupdate=False),
        ]

    def __str__(self):
        return self.word
