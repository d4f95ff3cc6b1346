"""Named, immutable releases of the curated dataset: what it held at a moment, its files, how to cite it.

A release's rows are written once, in the transaction that makes the release (releases/making.py), and
never changed or deleted: a trigger refuses UPDATE and DELETE on each table to every role, and the servers'
role is granted only SELECT and INSERT there (`APPEND_ONLY`, conflictdb/roles.py). Its creation is in the
history as a version (pghistory), with the command and curator that made it.

The files live in PostgreSQL, cut into chunks of at most `CHUNK_BYTES`: every application server behind a
balancer serves them from the one database, a backup of the database holds them, and a download reads one
chunk at a time (flat memory, one short statement per chunk).
"""

import pghistory
from django.core.validators import RegexValidator
from django.db import models

# Names read as versions and travel in URLs and file names: letters, digits, '.', '_' and '-'.
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
CHUNK_BYTES = 1024 * 1024


@pghistory.track(
    pghistory.InsertEvent(),
    obj_field=pghistory.ObjForeignKey(related_name="history"),
    append_only=True,
    model_name="ReleaseVersion",
)
class Release(models.Model):
    """The curated dataset as it was at one moment, under a name that is never reused.

    `snapshot` is the position in the history: the PostgreSQL snapshot (pg_snapshot, `xmin:xmax:xip,...`)
    the release's files were read in. A version row is part of the release exactly when its transaction
    (`pgh_xid`) is visible in that snapshot, which reads of the past use (conflictdb/past.py).
    """

    APPEND_ONLY = True

    name = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(rf"\A{NAME_PATTERN}\Z", "Letters, digits, '.', '_' and '-', at most 64.")],
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(help_text="The moment of the snapshot (clock time).")
    created_by = models.CharField(max_length=150, help_text="The curator's user name, as it was then.")
    snapshot = models.TextField(help_text="The PostgreSQL snapshot the release was read in.")
    counts = models.JSONField(help_text="Records per collection.")

    class Meta:
        ordering = ["-created_at", "name"]

    def __str__(self):
        return self.name


class ReleaseFile(models.Model):
    """One file of a release (a CSV of a collection, the NDJSON of every record), written once."""

    APPEND_ONLY = True

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=100)
    media_type = models.CharField(max_length=100)
    size = models.BigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64, help_text="Hex digest of the file's bytes.")

    class Meta:
        ordering = ["release", "name"]
        constraints = [models.UniqueConstraint(fields=["release", "name"], name="release_file_unique")]

    def __str__(self):
        return f"{self.release}/{self.name}"


class ReleaseFileChunk(models.Model):
    """The bytes of a file from `number` * CHUNK_BYTES on."""

    APPEND_ONLY = True

    file = models.ForeignKey(ReleaseFile, on_delete=models.PROTECT, related_name="chunks")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="release_chunk_unique")]

    def __str__(self):
        return f"{self.file} #{self.number}"
