"""The data version and the triggers that advance it (conflictdb/data_version.py says why each is so).

The tables are listed here as they were when this migration was written, so that it stands alone; a
table added later gets its trigger in a migration of its own (tests/conflictdb/test_response_cache.py
fails until it has one).
"""

from django.db import migrations, models

TABLES = [
    "sources_source",
    "events_actor",
    "events_place",
    "events_event",
    "events_eventactor",
    "events_eventevidence",
    "events_claim",
    "events_claimrelation",
    "releases_release",
    "releases_releasefile",
    "releases_releasefilechunk",
]

# At least one more than before, and at least the clock's microseconds: a row removed (TRUNCATE) and
# made again starts above every number it had.
FORWARD = """
INSERT INTO conflictdb_dataversion (id, version)
VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
CREATE FUNCTION conflictdb_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conflictdb_dataversion AS counter (id, version)
    VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    ON CONFLICT (id) DO UPDATE SET version = greatest(counter.version + 1, excluded.version);
    RETURN NULL;
END;
$$;
""" + "".join(
    f"CREATE TRIGGER conflictdb_data_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION conflictdb_data_version();\n"
    for table in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER conflictdb_data_version ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION conflictdb_data_version();"
)


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0002_published_slugs"),
        ("events", "0013_place_coordinate_bounds"),
        ("sources", "0004_previous_slugs"),
        ("releases", "0002_immutable"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.BigIntegerField(
                        help_text="Grows with every statement that writes a tracked table."
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(id=1), name="data_version_one_row")
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
