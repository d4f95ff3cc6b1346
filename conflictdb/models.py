"""Abstract pieces every ConflictDB record shares: a public slug and timestamps."""

from django.db import models

# Every slug of synthetic benchmark data starts with this (`manage.py generate_synthetic`): such records are
# never facts, and the curated dataset's export leaves them out.
SYNTHETIC_PREFIX = "synthetic-"


class DatePrecision(models.TextChoices):
    """How exactly a date is known. A range's start and end bound the dates it could be."""

    DAY = "day", "Day"
    RANGE = "range", "Range of days"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class PublicRecord(models.Model):
    """A record with a stable public slug and creation/update times."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public identifier; never changes.")
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
