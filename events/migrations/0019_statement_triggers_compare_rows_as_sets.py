"""The update triggers of the tallies, the claim summary and the search vocabulary compare old and new
rows as sets (EXCEPT) instead of joining the transition tables: a join planned at a one-row update stayed
a nested loop, quadratic in a later update of many rows (conflictdb/transitions.py)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0018_claim_tallies_added_on_insert"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="actor",
            name="search_words_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="claim_summary_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="claim_tally_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="search_words_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="event_tally_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="event_tally_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="event_tally_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="search_words_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="place",
            name="event_tally_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="place",
            name="search_words_update",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM (SELECT id, search_text FROM new_values EXCEPT SELECT id, search_text FROM old_values) AS n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="9f69b6e01693439ddc1781693598ae2a301e0184",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_3fdf4",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM (SELECT id, search_text FROM new_values EXCEPT SELECT id, search_text FROM old_values) AS n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="f97f9c7947f074fcfb896f29e04dc14eccc1d025",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_ec107",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="claim_summary_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="IF current_setting('events.claim_summary', true) = 'off' THEN RETURN NULL; END IF; PERFORM events_refresh_claim_summary(ARRAY(SELECT event_id FROM (SELECT id, event_id FROM old_values EXCEPT SELECT id, event_id FROM new_values) AS old_rows UNION SELECT event_id FROM (SELECT id, event_id FROM new_values EXCEPT SELECT id, event_id FROM old_values) AS new_rows)); RETURN NULL;",
                    hash="40bdf60985c1b5fef94a92e4268ca8a14311147a",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_claim_summary_update_fbb0b",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="claim_tally_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE claimant_ids bigint[];",
                    func="claimant_ids := ARRAY(SELECT claimant_id FROM (SELECT id, claimant_id, claim_type, status, unit, value, value_low, value_high, value_is_lower_bound FROM old_values EXCEPT SELECT id, claimant_id, claim_type, status, unit, value, value_low, value_high, value_is_lower_bound FROM new_values) AS old_rows UNION SELECT claimant_id FROM (SELECT id, claimant_id, claim_type, status, unit, value, value_low, value_high, value_is_lower_bound FROM new_values EXCEPT SELECT id, claimant_id, claim_type, status, unit, value, value_low, value_high, value_is_lower_bound FROM old_values) AS new_rows); PERFORM FROM events_actor WHERE id = ANY(claimant_ids) ORDER BY id FOR NO KEY UPDATE; DELETE FROM events_claimstatustally WHERE claimant_id = ANY(claimant_ids); INSERT INTO events_claimstatustally (claimant_id, status, claims, value_min, value_max, value_low_min, value_low_max, value_high_min, value_high_max, lower_bounds) SELECT claimant_id, status, count(*), min(events_claim.value), max(events_claim.value), min(events_claim.value_low), max(events_claim.value_low), min(events_claim.value_high), max(events_claim.value_high), count(*) FILTER (WHERE events_claim.value_is_lower_bound) FROM events_claim WHERE claimant_id = ANY(claimant_ids) GROUP BY claimant_id, status; DELETE FROM events_claimtally WHERE claimant_id = ANY(claimant_ids); INSERT INTO events_claimtally (claimant_id, claim_type, status, unit, claims, value_min, value_max, value_low_min, value_low_max, value_high_min, value_high_max, lower_bounds) SELECT claimant_id, claim_type, status, unit, count(*), min(events_claim.value), max(events_claim.value), min(events_claim.value_low), max(events_claim.value_low), min(events_claim.value_high), max(events_claim.value_high), count(*) FILTER (WHERE events_claim.value_is_lower_bound) FROM events_claim WHERE claimant_id = ANY(claimant_ids) GROUP BY claimant_id, claim_type, status, unit; RETURN NULL;",
                    hash="940e82bc6267aed92ce728ad17c0c3e867c0e3f2",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_claim_tally_update_7f6a4",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM (SELECT id, search_text FROM new_values EXCEPT SELECT id, search_text FROM old_values) AS n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="b369d347c639dd00c473215bf515b6d859b18bd7",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_58aa7",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="event_tally_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE emptied_day bigint[]; emptied_month bigint[]; emptied_year bigint[];",
                    func="PERFORM FROM events_place WHERE id IN (SELECT place_id FROM new_values) ORDER BY id FOR SHARE; WITH c(country, event_type, sub_event_type, first, last, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) AS (SELECT coalesce(p.country, ''), new_values.event_type, new_values.sub_event_type, new_values.start_date, new_values.end_date, 1, 1 * coalesce(new_values.fatalities_low, 0), 1 * (new_values.fatalities_low IS NOT NULL)::int, 1 * coalesce(new_values.fatalities_best, 0), 1 * (new_values.fatalities_best IS NOT NULL)::int, 1 * coalesce(new_values.fatalities_high, 0), 1 * (new_values.fatalities_high IS NOT NULL)::int, 1 * (new_values.fatalities_low IS NOT NULL OR new_values.fatalities_best IS NOT NULL OR new_values.fatalities_high IS NOT NULL)::int, 1 * new_values.disputed::int, 1 * new_values.claim_count FROM new_values LEFT JOIN events_place AS p ON p.id = new_values.place_id), applied_day AS (INSERT INTO events_eventdaytally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, c.first, c.last, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_month AS (INSERT INTO events_eventmonthtally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('month', c.first)::date, date_trunc('month', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_year AS (INSERT INTO events_eventyeartally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('year', c.first)::date, date_trunc('year', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events) SELECT ARRAY(SELECT id FROM applied_day WHERE events = 0), ARRAY(SELECT id FROM applied_month WHERE events = 0), ARRAY(SELECT id FROM applied_year WHERE events = 0) INTO emptied_day, emptied_month, emptied_year; DELETE FROM events_eventdaytally WHERE id = ANY(emptied_day); DELETE FROM events_eventmonthtally WHERE id = ANY(emptied_month); DELETE FROM events_eventyeartally WHERE id = ANY(emptied_year); RETURN NULL;",
                    hash="2b25866af936892caf65e58622c5f79f12c1868a",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_event_tally_insert_3176f",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="event_tally_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE emptied_day bigint[]; emptied_month bigint[]; emptied_year bigint[];",
                    func="PERFORM FROM events_place WHERE id IN (SELECT place_id FROM old_values UNION SELECT place_id FROM new_values) ORDER BY id FOR SHARE; WITH c(country, event_type, sub_event_type, first, last, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) AS (SELECT coalesce(p.country, ''), old_values.event_type, old_values.sub_event_type, old_values.start_date, old_values.end_date, -1, -1 * coalesce(old_values.fatalities_low, 0), -1 * (old_values.fatalities_low IS NOT NULL)::int, -1 * coalesce(old_values.fatalities_best, 0), -1 * (old_values.fatalities_best IS NOT NULL)::int, -1 * coalesce(old_values.fatalities_high, 0), -1 * (old_values.fatalities_high IS NOT NULL)::int, -1 * (old_values.fatalities_low IS NOT NULL OR old_values.fatalities_best IS NOT NULL OR old_values.fatalities_high IS NOT NULL)::int, -1 * old_values.disputed::int, -1 * old_values.claim_count FROM (SELECT id, place_id, event_type, sub_event_type, start_date, end_date, fatalities_low, fatalities_best, fatalities_high, disputed, claim_count FROM old_values EXCEPT SELECT id, place_id, event_type, sub_event_type, start_date, end_date, fatalities_low, fatalities_best, fatalities_high, disputed, claim_count FROM new_values) AS old_values LEFT JOIN events_place AS p ON p.id = old_values.place_id UNION ALL SELECT coalesce(p.country, ''), new_values.event_type, new_values.sub_event_type, new_values.start_date, new_values.end_date, 1, 1 * coalesce(new_values.fatalities_low, 0), 1 * (new_values.fatalities_low IS NOT NULL)::int, 1 * coalesce(new_values.fatalities_best, 0), 1 * (new_values.fatalities_best IS NOT NULL)::int, 1 * coalesce(new_values.fatalities_high, 0), 1 * (new_values.fatalities_high IS NOT NULL)::int, 1 * (new_values.fatalities_low IS NOT NULL OR new_values.fatalities_best IS NOT NULL OR new_values.fatalities_high IS NOT NULL)::int, 1 * new_values.disputed::int, 1 * new_values.claim_count FROM (SELECT id, place_id, event_type, sub_event_type, start_date, end_date, fatalities_low, fatalities_best, fatalities_high, disputed, claim_count FROM new_values EXCEPT SELECT id, place_id, event_type, sub_event_type, start_date, end_date, fatalities_low, fatalities_best, fatalities_high, disputed, claim_count FROM old_values) AS new_values LEFT JOIN events_place AS p ON p.id = new_values.place_id), applied_day AS (INSERT INTO events_eventdaytally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, c.first, c.last, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_month AS (INSERT INTO events_eventmonthtally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('month', c.first)::date, date_trunc('month', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_year AS (INSERT INTO events_eventyeartally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('year', c.first)::date, date_trunc('year', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events) SELECT ARRAY(SELECT id FROM applied_day WHERE events = 0), ARRAY(SELECT id FROM applied_month WHERE events = 0), ARRAY(SELECT id FROM applied_year WHERE events = 0) INTO emptied_day, emptied_month, emptied_year; DELETE FROM events_eventdaytally WHERE id = ANY(emptied_day); DELETE FROM events_eventmonthtally WHERE id = ANY(emptied_month); DELETE FROM events_eventyeartally WHERE id = ANY(emptied_year); RETURN NULL;",
                    hash="3372a9e9039c96eb118be09cb51f97299a92721d",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_event_tally_update_5ebac",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="event_tally_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE emptied_day bigint[]; emptied_month bigint[]; emptied_year bigint[];",
                    func="PERFORM FROM events_place WHERE id IN (SELECT place_id FROM old_values) ORDER BY id FOR SHARE; WITH c(country, event_type, sub_event_type, first, last, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) AS (SELECT coalesce(p.country, ''), old_values.event_type, old_values.sub_event_type, old_values.start_date, old_values.end_date, -1, -1 * coalesce(old_values.fatalities_low, 0), -1 * (old_values.fatalities_low IS NOT NULL)::int, -1 * coalesce(old_values.fatalities_best, 0), -1 * (old_values.fatalities_best IS NOT NULL)::int, -1 * coalesce(old_values.fatalities_high, 0), -1 * (old_values.fatalities_high IS NOT NULL)::int, -1 * (old_values.fatalities_low IS NOT NULL OR old_values.fatalities_best IS NOT NULL OR old_values.fatalities_high IS NOT NULL)::int, -1 * old_values.disputed::int, -1 * old_values.claim_count FROM old_values LEFT JOIN events_place AS p ON p.id = old_values.place_id), applied_day AS (INSERT INTO events_eventdaytally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, c.first, c.last, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_month AS (INSERT INTO events_eventmonthtally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('month', c.first)::date, date_trunc('month', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_year AS (INSERT INTO events_eventyeartally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('year', c.first)::date, date_trunc('year', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events) SELECT ARRAY(SELECT id FROM applied_day WHERE events = 0), ARRAY(SELECT id FROM applied_month WHERE events = 0), ARRAY(SELECT id FROM applied_year WHERE events = 0) INTO emptied_day, emptied_month, emptied_year; DELETE FROM events_eventdaytally WHERE id = ANY(emptied_day); DELETE FROM events_eventmonthtally WHERE id = ANY(emptied_month); DELETE FROM events_eventyeartally WHERE id = ANY(emptied_year); RETURN NULL;",
                    hash="ca9ab9da0c81c2275d6c364a06b552eabd70c8da",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_event_tally_delete_1f726",
                    referencing="REFERENCING OLD TABLE AS old_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM (SELECT id, search_text FROM new_values EXCEPT SELECT id, search_text FROM old_values) AS n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="7b55438f3e16545fe90c74cb88c881847e734df6",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_b3918",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="event_tally_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE emptied_day bigint[]; emptied_month bigint[]; emptied_year bigint[];",
                    func="PERFORM FROM events_event WHERE place_id IN (SELECT id FROM (SELECT id, country FROM new_values EXCEPT SELECT id, country FROM old_values) AS new_values) ORDER BY id FOR NO KEY UPDATE; WITH c(country, event_type, sub_event_type, first, last, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) AS (SELECT coalesce(old_values.country, ''), e.event_type, e.sub_event_type, e.start_date, e.end_date, -1, -1 * coalesce(e.fatalities_low, 0), -1 * (e.fatalities_low IS NOT NULL)::int, -1 * coalesce(e.fatalities_best, 0), -1 * (e.fatalities_best IS NOT NULL)::int, -1 * coalesce(e.fatalities_high, 0), -1 * (e.fatalities_high IS NOT NULL)::int, -1 * (e.fatalities_low IS NOT NULL OR e.fatalities_best IS NOT NULL OR e.fatalities_high IS NOT NULL)::int, -1 * e.disputed::int, -1 * e.claim_count FROM (SELECT id, country FROM old_values EXCEPT SELECT id, country FROM new_values) AS old_values JOIN events_event AS e ON e.place_id = old_values.id UNION ALL SELECT coalesce(new_values.country, ''), e.event_type, e.sub_event_type, e.start_date, e.end_date, 1, 1 * coalesce(e.fatalities_low, 0), 1 * (e.fatalities_low IS NOT NULL)::int, 1 * coalesce(e.fatalities_best, 0), 1 * (e.fatalities_best IS NOT NULL)::int, 1 * coalesce(e.fatalities_high, 0), 1 * (e.fatalities_high IS NOT NULL)::int, 1 * (e.fatalities_low IS NOT NULL OR e.fatalities_best IS NOT NULL OR e.fatalities_high IS NOT NULL)::int, 1 * e.disputed::int, 1 * e.claim_count FROM (SELECT id, country FROM new_values EXCEPT SELECT id, country FROM old_values) AS new_values JOIN events_event AS e ON e.place_id = new_values.id), applied_day AS (INSERT INTO events_eventdaytally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, c.first, c.last, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_month AS (INSERT INTO events_eventmonthtally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('month', c.first)::date, date_trunc('month', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events), applied_year AS (INSERT INTO events_eventyeartally AS t (country, event_type, sub_event_type, start_date, end_date, events, fatalities_low, fatalities_low_events, fatalities_best, fatalities_best_events, fatalities_high, fatalities_high_events, events_with_fatalities, disputed, claims) SELECT c.country, c.event_type, c.sub_event_type, date_trunc('year', c.first)::date, date_trunc('year', c.last)::date, sum(c.events), sum(c.fatalities_low), sum(c.fatalities_low_events), sum(c.fatalities_best), sum(c.fatalities_best_events), sum(c.fatalities_high), sum(c.fatalities_high_events), sum(c.events_with_fatalities), sum(c.disputed), sum(c.claims) FROM c GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.events) <> 0 OR sum(c.fatalities_low) <> 0 OR sum(c.fatalities_low_events) <> 0 OR sum(c.fatalities_best) <> 0 OR sum(c.fatalities_best_events) <> 0 OR sum(c.fatalities_high) <> 0 OR sum(c.fatalities_high_events) <> 0 OR sum(c.events_with_fatalities) <> 0 OR sum(c.disputed) <> 0 OR sum(c.claims) <> 0 ORDER BY 4, 5, 1, 2, 3 ON CONFLICT (country, event_type, sub_event_type, start_date, end_date) DO UPDATE SET events = t.events + excluded.events, fatalities_low = t.fatalities_low + excluded.fatalities_low, fatalities_low_events = t.fatalities_low_events + excluded.fatalities_low_events, fatalities_best = t.fatalities_best + excluded.fatalities_best, fatalities_best_events = t.fatalities_best_events + excluded.fatalities_best_events, fatalities_high = t.fatalities_high + excluded.fatalities_high, fatalities_high_events = t.fatalities_high_events + excluded.fatalities_high_events, events_with_fatalities = t.events_with_fatalities + excluded.events_with_fatalities, disputed = t.disputed + excluded.disputed, claims = t.claims + excluded.claims RETURNING t.id, t.events) SELECT ARRAY(SELECT id FROM applied_day WHERE events = 0), ARRAY(SELECT id FROM applied_month WHERE events = 0), ARRAY(SELECT id FROM applied_year WHERE events = 0) INTO emptied_day, emptied_month, emptied_year; DELETE FROM events_eventdaytally WHERE id = ANY(emptied_day); DELETE FROM events_eventmonthtally WHERE id = ANY(emptied_month); DELETE FROM events_eventyeartally WHERE id = ANY(emptied_year); RETURN NULL;",
                    hash="e50410dec77f4f63c4de2e928b5a9c37480f15bf",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_event_tally_update_89bb1",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
    ]
