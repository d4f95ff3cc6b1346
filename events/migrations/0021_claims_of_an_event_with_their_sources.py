"""An event's claims are indexed with their sources (`claim_event_sources`, the sources included), in
place of the foreign key's own index: the ACLED export reads each event's publishers from the index alone.
The new index is built before the old one is dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0020_vocabulary_indexes_without_pattern_twins"),
        ("sources", "0008_vocabulary_indexes_without_pattern_twins"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["event"], include=("source",), name="claim_event_sources"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="event",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="events.event",
            ),
        ),
    ]
