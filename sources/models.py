"""Where information comes from: articles, statements, interviews, reports."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from conflictdb.history import tracked
from conflictdb.models import DatePrecision, PublicRecord, vocabulary_index
from conflictdb.search import search_indexes, search_triggers
from conflictdb.slugs import SLUG_TRIGGERS


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    INTERVIEW = "interview", "Interview"
    NGO_REPORT = "ngo_report", "NGO report"
    PRESS_CONFERENCE = "press_conference", "Press conference or remarks"
    VIDEO = "video", "Video"
    SOCIAL_MEDIA = "social_media", "Social media post"
    OTHER = "other", "Other"


@tracked
class Source(PublicRecord):
    """A document or statement that carries information, possibly as reported in another source.

    A news article is a source; so is each interview, statement or report it quotes, with
    `reported_in` pointing at the article. Only metadata and short quotes are kept, never full text.
    """

    kind = models.CharField(max_length=32, choices=SourceKind.choices)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True, db_index=True)
    authors = ArrayField(models.CharField(max_length=200), blank=True, default=list)
    dateline = models.CharField(max_length=200, blank=True, help_text="Place line of a news article.")
    published_on = models.DateField(null=True, blank=True, db_index=True)
    date_precision = models.CharField(max_length=16, choices=DatePrecision.choices, blank=True)
    date_inferred = models.BooleanField(
        default=False, help_text="The date was worked out (e.g. a missing year), not stated by the source."
    )
    language = models.CharField(max_length=16, blank=True, help_text="ISO 639-1 code, e.g. en, ar.")
    url = models.URLField(max_length=1000, blank=True)
    reported_in = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reported_sources"
    )
    notes = models.TextField(blank=True)

    # The public fields in order; every other list of them derives from it (conflictdb/fieldlists.py).
    FIELDS = (
        "slug",
        "previous_slugs",
        "kind",
        "title",
        "publisher",
        "authors",
        "dateline",
        "published_on",
        "date_precision",
        "date_inferred",
        "language",
        "url",
        "reported_in",
        "notes",
    )

    class Meta(PublicRecord.Meta):
        indexes = [vocabulary_index("source", "kind"), *search_indexes("source")]
        triggers = [
            *search_triggers(["title"], ["publisher", "authors[]", "dateline", "notes"]),
            *SLUG_TRIGGERS,
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True, date_precision="")
                | models.Q(published_on__isnull=False) & ~models.Q(date_precision=""),
                name="source_date_has_precision",
                violation_error_message="A publication date needs a precision, and a precision needs a date.",
            ),
            models.CheckConstraint(
                condition=~models.Q(reported_in=models.F("pk")),
                name="source_not_reported_in_itself",
                violation_error_message="A source cannot be reported in itself.",
            ),
        ]
