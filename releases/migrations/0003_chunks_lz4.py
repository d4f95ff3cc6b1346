"""A release file's chunks are compressed with lz4 rather than PostgreSQL's default pglz.

The files are a few gigabytes at the bench's million events, and their chunks go through TOAST, which
compresses them: pglz stored 267 MB of NDJSON at 65-90 MB/s, lz4 at 350-450 MB/s, both to about 31 MB
(bench/baselines/releases.md). Only new chunks are compressed so; a server built without lz4 keeps pglz.
"""

from django.db import migrations

FORWARD = """
DO $$
BEGIN
    ALTER TABLE releases_releasefilechunk ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: release chunks stay compressed with pglz';
END;
$$;
"""

BACKWARD = "ALTER TABLE releases_releasefilechunk ALTER COLUMN data SET COMPRESSION default;"


class Migration(migrations.Migration):
    dependencies = [("releases", "0002_immutable")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
