"""The claim tallies' insert trigger adds the new claims (counts summed, extremes widened) instead of
counting every claim of their claimants again: a COPY of a million claims read the whole table."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0017_search_words"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="claim_tally_insert",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="claim_tally_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="PERFORM FROM events_actor WHERE id IN (SELECT claimant_id FROM new_values) ORDER BY id FOR NO KEY UPDATE; INSERT INTO events_claimstatustally (claimant_id, status, claims, value_min, value_max, value_low_min, value_low_max, value_high_min, value_high_max, lower_bounds) SELECT claimant_id, status, count(*), min(new_values.value), max(new_values.value), min(new_values.value_low), max(new_values.value_low), min(new_values.value_high), max(new_values.value_high), count(*) FILTER (WHERE new_values.value_is_lower_bound) FROM new_values WHERE claimant_id IS NOT NULL GROUP BY claimant_id, status ORDER BY claimant_id, status ON CONFLICT (claimant_id, status) DO UPDATE SET claims = events_claimstatustally.claims + excluded.claims, lower_bounds = events_claimstatustally.lower_bounds + excluded.lower_bounds, value_min = least(events_claimstatustally.value_min, excluded.value_min), value_max = greatest(events_claimstatustally.value_max, excluded.value_max), value_low_min = least(events_claimstatustally.value_low_min, excluded.value_low_min), value_low_max = greatest(events_claimstatustally.value_low_max, excluded.value_low_max), value_high_min = least(events_claimstatustally.value_high_min, excluded.value_high_min), value_high_max = greatest(events_claimstatustally.value_high_max, excluded.value_high_max); INSERT INTO events_claimtally (claimant_id, claim_type, status, unit, claims, value_min, value_max, value_low_min, value_low_max, value_high_min, value_high_max, lower_bounds) SELECT claimant_id, claim_type, status, unit, count(*), min(new_values.value), max(new_values.value), min(new_values.value_low), max(new_values.value_low), min(new_values.value_high), max(new_values.value_high), count(*) FILTER (WHERE new_values.value_is_lower_bound) FROM new_values WHERE claimant_id IS NOT NULL GROUP BY claimant_id, claim_type, status, unit ORDER BY claimant_id, claim_type, status, unit ON CONFLICT (claimant_id, claim_type, status, unit) DO UPDATE SET claims = events_claimtally.claims + excluded.claims, lower_bounds = events_claimtally.lower_bounds + excluded.lower_bounds, value_min = least(events_claimtally.value_min, excluded.value_min), value_max = greatest(events_claimtally.value_max, excluded.value_max), value_low_min = least(events_claimtally.value_low_min, excluded.value_low_min), value_low_max = greatest(events_claimtally.value_low_max, excluded.value_low_max), value_high_min = least(events_claimtally.value_high_min, excluded.value_high_min), value_high_max = greatest(events_claimtally.value_high_max, excluded.value_high_max); RETURN NULL;",
                    hash="4605bfc481a7cd0fe8fd19008d5c28526afbd950",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_claim_tally_insert_2d90e",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
    ]
