"""Previous slugs: the column, its triggers (conflictdb/slugs.py), and every current slug published in
conflictdb_publishedslug, as the triggers will publish those of records written from now on."""

import django.contrib.postgres.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_version_indexes"),
        ("conflictdb", "0002_published_slugs"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="actor",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="actor",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="actor",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="event",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="place",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="place",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="place",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="actor",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="actorversion",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="claimversion",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="eventversion",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="placeversion",
            name="previous_slugs",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120),
                blank=True,
                db_default=[],
                default=list,
                help_text="Slugs the record had before, oldest first: their URLs and filters still lead to it.",
                size=None,
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="slug",
            field=models.SlugField(
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="actorversion",
            name="slug",
            field=models.SlugField(
                db_index=False,
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="slug",
            field=models.SlugField(
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="claimversion",
            name="slug",
            field=models.SlugField(
                db_index=False,
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="slug",
            field=models.SlugField(
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="eventversion",
            name="slug",
            field=models.SlugField(
                db_index=False,
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="place",
            name="slug",
            field=models.SlugField(
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="placeversion",
            name="slug",
            field=models.SlugField(
                db_index=False,
                help_text="Public identifier; a rename keeps the old one published.",
                max_length=120,
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="previous_slugs_kept",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nIF TG_OP = 'UPDATE' THEN\n    IF NEW.slug IS DISTINCT FROM OLD.slug THEN\n        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;\n    END IF;\n    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)\n               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN\n        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';\n    END IF;\nEND IF;\nNEW.previous_slugs := ARRAY(\n    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)\n    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)\n);\nRETURN NEW;\n",
                    hash="b40fa7b96a40d05aad680a646ab42e482bd2f209",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_previous_slugs_kept_f019a",
                    table="events_actor",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, n.id\nFROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);\nRETURN NULL;\n",
                    hash="ca95f9ad6f6b0319a9e40f254cc2a8608ef4af56",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_slugs_published_insert_637a7",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs)",
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)\nWHERE NOT EXISTS (\n    SELECT FROM conflictdb_publishedslug p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id\n);\nRETURN NULL;\n",
                    hash="b430fd0de8089e0bb13d886ac4f90d0cac66f9c9",
                    operation='UPDATE OF "slug", "previous_slugs"',
                    pgid="pgtrigger_slugs_published_update_efde5",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nDELETE FROM conflictdb_publishedslug p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;\nRETURN NULL;\n",
                    hash="fd0529e91ad118543fa91e5db892b2d0e840a28f",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_slugs_published_delete_bd2e1",
                    referencing="REFERENCING OLD TABLE AS old_values ",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_actorversion" ("aliases", "country", "created_at", "description", "id", "kind", "name", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (NEW."aliases", NEW."country", NEW."created_at", NEW."description", NEW."id", NEW."kind", NEW."name", NEW."parent_id", _pgh_attach_context(), clock_timestamp(), \'insert\', NEW."id", NEW."previous_slugs", NEW."slug", NEW."updated_at"); RETURN NULL;',
                    hash="d28dd40686dfa8862a22756421516a822cf49e6a",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_d29d7",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."aliases" IS DISTINCT FROM (NEW."aliases") OR OLD."country" IS DISTINCT FROM (NEW."country") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."parent_id" IS DISTINCT FROM (NEW."parent_id") OR OLD."previous_slugs" IS DISTINCT FROM (NEW."previous_slugs") OR OLD."slug" IS DISTINCT FROM (NEW."slug") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))',
                    func='INSERT INTO "events_actorversion" ("aliases", "country", "created_at", "description", "id", "kind", "name", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (NEW."aliases", NEW."country", NEW."created_at", NEW."description", NEW."id", NEW."kind", NEW."name", NEW."parent_id", _pgh_attach_context(), clock_timestamp(), \'update\', NEW."id", NEW."previous_slugs", NEW."slug", NEW."updated_at"); RETURN NULL;',
                    hash="97609e4c329b44e06a1699ac617eb2117dd3cc34",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_7ce77",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_actorversion" ("aliases", "country", "created_at", "description", "id", "kind", "name", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (OLD."aliases", OLD."country", OLD."created_at", OLD."description", OLD."id", OLD."kind", OLD."name", OLD."parent_id", _pgh_attach_context(), clock_timestamp(), \'delete\', OLD."id", OLD."previous_slugs", OLD."slug", OLD."updated_at"); RETURN NULL;',
                    hash="608d40a77461e036efd760a56538bd3b4814d7af",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_47526",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="previous_slugs_kept",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nIF TG_OP = 'UPDATE' THEN\n    IF NEW.slug IS DISTINCT FROM OLD.slug THEN\n        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;\n    END IF;\n    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)\n               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN\n        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';\n    END IF;\nEND IF;\nNEW.previous_slugs := ARRAY(\n    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)\n    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)\n);\nRETURN NEW;\n",
                    hash="0e368c8785a4f362eec8f3f7dfb007532048bcb0",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_previous_slugs_kept_8e85b",
                    table="events_claim",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, n.id\nFROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);\nRETURN NULL;\n",
                    hash="9f39956bc41d9ac7384a886692b0d7a2f54a445b",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_slugs_published_insert_4d33f",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs)",
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)\nWHERE NOT EXISTS (\n    SELECT FROM conflictdb_publishedslug p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id\n);\nRETURN NULL;\n",
                    hash="cf54d547bec35e64532e33cc778eee804f0a124a",
                    operation='UPDATE OF "slug", "previous_slugs"',
                    pgid="pgtrigger_slugs_published_update_8bc14",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nDELETE FROM conflictdb_publishedslug p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;\nRETURN NULL;\n",
                    hash="c56d10cf783514d62ba0aede3952f30480bfabc1",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_slugs_published_delete_04b76",
                    referencing="REFERENCING OLD TABLE AS old_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_claimversion" ("about_actor_id", "claim_type", "claimant_id", "created_at", "date_precision", "event_id", "id", "is_self_report", "made_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "quote", "slug", "source_id", "statement", "status", "status_reason", "unit", "updated_at", "value", "value_high", "value_is_lower_bound", "value_low") VALUES (NEW."about_actor_id", NEW."claim_type", NEW."claimant_id", NEW."created_at", NEW."date_precision", NEW."event_id", NEW."id", NEW."is_self_report", NEW."made_on", _pgh_attach_context(), clock_timestamp(), \'insert\', NEW."id", NEW."previous_slugs", NEW."quote", NEW."slug", NEW."source_id", NEW."statement", NEW."status", NEW."status_reason", NEW."unit", NEW."updated_at", NEW."value", NEW."value_high", NEW."value_is_lower_bound", NEW."value_low"); RETURN NULL;',
                    hash="d721ab1b82ef4f94d746c613e1db6732a31e4a6b",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_566e6",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."about_actor_id" IS DISTINCT FROM (NEW."about_actor_id") OR OLD."claim_type" IS DISTINCT FROM (NEW."claim_type") OR OLD."claimant_id" IS DISTINCT FROM (NEW."claimant_id") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."date_precision" IS DISTINCT FROM (NEW."date_precision") OR OLD."event_id" IS DISTINCT FROM (NEW."event_id") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."is_self_report" IS DISTINCT FROM (NEW."is_self_report") OR OLD."made_on" IS DISTINCT FROM (NEW."made_on") OR OLD."previous_slugs" IS DISTINCT FROM (NEW."previous_slugs") OR OLD."quote" IS DISTINCT FROM (NEW."quote") OR OLD."slug" IS DISTINCT FROM (NEW."slug") OR OLD."source_id" IS DISTINCT FROM (NEW."source_id") OR OLD."statement" IS DISTINCT FROM (NEW."statement") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."status_reason" IS DISTINCT FROM (NEW."status_reason") OR OLD."unit" IS DISTINCT FROM (NEW."unit") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."value" IS DISTINCT FROM (NEW."value") OR OLD."value_high" IS DISTINCT FROM (NEW."value_high") OR OLD."value_is_lower_bound" IS DISTINCT FROM (NEW."value_is_lower_bound") OR OLD."value_low" IS DISTINCT FROM (NEW."value_low"))',
                    func='INSERT INTO "events_claimversion" ("about_actor_id", "claim_type", "claimant_id", "created_at", "date_precision", "event_id", "id", "is_self_report", "made_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "quote", "slug", "source_id", "statement", "status", "status_reason", "unit", "updated_at", "value", "value_high", "value_is_lower_bound", "value_low") VALUES (NEW."about_actor_id", NEW."claim_type", NEW."claimant_id", NEW."created_at", NEW."date_precision", NEW."event_id", NEW."id", NEW."is_self_report", NEW."made_on", _pgh_attach_context(), clock_timestamp(), \'update\', NEW."id", NEW."previous_slugs", NEW."quote", NEW."slug", NEW."source_id", NEW."statement", NEW."status", NEW."status_reason", NEW."unit", NEW."updated_at", NEW."value", NEW."value_high", NEW."value_is_lower_bound", NEW."value_low"); RETURN NULL;',
                    hash="1f302e627029d11f62175ddfc55a31807ff902d7",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_765bf",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_claimversion" ("about_actor_id", "claim_type", "claimant_id", "created_at", "date_precision", "event_id", "id", "is_self_report", "made_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "quote", "slug", "source_id", "statement", "status", "status_reason", "unit", "updated_at", "value", "value_high", "value_is_lower_bound", "value_low") VALUES (OLD."about_actor_id", OLD."claim_type", OLD."claimant_id", OLD."created_at", OLD."date_precision", OLD."event_id", OLD."id", OLD."is_self_report", OLD."made_on", _pgh_attach_context(), clock_timestamp(), \'delete\', OLD."id", OLD."previous_slugs", OLD."quote", OLD."slug", OLD."source_id", OLD."statement", OLD."status", OLD."status_reason", OLD."unit", OLD."updated_at", OLD."value", OLD."value_high", OLD."value_is_lower_bound", OLD."value_low"); RETURN NULL;',
                    hash="0c1b65c35e0e64bed8fd9c96b099de1e9d7e16cd",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_738d0",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="previous_slugs_kept",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nIF TG_OP = 'UPDATE' THEN\n    IF NEW.slug IS DISTINCT FROM OLD.slug THEN\n        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;\n    END IF;\n    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)\n               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN\n        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';\n    END IF;\nEND IF;\nNEW.previous_slugs := ARRAY(\n    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)\n    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)\n);\nRETURN NEW;\n",
                    hash="02c82f22b60373514781467c339dee2b0e741a3c",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_previous_slugs_kept_d173a",
                    table="events_event",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, n.id\nFROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);\nRETURN NULL;\n",
                    hash="ac28f847ade4246c4ce5074727346bbd03640fee",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_slugs_published_insert_3ee17",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs)",
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)\nWHERE NOT EXISTS (\n    SELECT FROM conflictdb_publishedslug p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id\n);\nRETURN NULL;\n",
                    hash="d8b686db1e042d39cfe1ba5f994940bcd4a1702a",
                    operation='UPDATE OF "slug", "previous_slugs"',
                    pgid="pgtrigger_slugs_published_update_9601d",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nDELETE FROM conflictdb_publishedslug p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;\nRETURN NULL;\n",
                    hash="5c38921efcc73d56360e4d934986bb669fcee04d",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_slugs_published_delete_7038e",
                    referencing="REFERENCING OLD TABLE AS old_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_eventversion" ("created_at", "date_precision", "end_date", "event_type", "fatalities_best", "fatalities_high", "fatalities_low", "id", "part_of_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place_id", "previous_slugs", "slug", "start_date", "sub_event_type", "summary", "title", "updated_at") VALUES (NEW."created_at", NEW."date_precision", NEW."end_date", NEW."event_type", NEW."fatalities_best", NEW."fatalities_high", NEW."fatalities_low", NEW."id", NEW."part_of_id", _pgh_attach_context(), clock_timestamp(), \'insert\', NEW."id", NEW."place_id", NEW."previous_slugs", NEW."slug", NEW."start_date", NEW."sub_event_type", NEW."summary", NEW."title", NEW."updated_at"); RETURN NULL;',
                    hash="fc4ba5620512e86c64c55a4a1adbcd94846a717a",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_82b94",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."date_precision" IS DISTINCT FROM (NEW."date_precision") OR OLD."end_date" IS DISTINCT FROM (NEW."end_date") OR OLD."event_type" IS DISTINCT FROM (NEW."event_type") OR OLD."fatalities_best" IS DISTINCT FROM (NEW."fatalities_best") OR OLD."fatalities_high" IS DISTINCT FROM (NEW."fatalities_high") OR OLD."fatalities_low" IS DISTINCT FROM (NEW."fatalities_low") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."part_of_id" IS DISTINCT FROM (NEW."part_of_id") OR OLD."place_id" IS DISTINCT FROM (NEW."place_id") OR OLD."previous_slugs" IS DISTINCT FROM (NEW."previous_slugs") OR OLD."slug" IS DISTINCT FROM (NEW."slug") OR OLD."start_date" IS DISTINCT FROM (NEW."start_date") OR OLD."sub_event_type" IS DISTINCT FROM (NEW."sub_event_type") OR OLD."summary" IS DISTINCT FROM (NEW."summary") OR OLD."title" IS DISTINCT FROM (NEW."title") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))',
                    func='INSERT INTO "events_eventversion" ("created_at", "date_precision", "end_date", "event_type", "fatalities_best", "fatalities_high", "fatalities_low", "id", "part_of_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place_id", "previous_slugs", "slug", "start_date", "sub_event_type", "summary", "title", "updated_at") VALUES (NEW."created_at", NEW."date_precision", NEW."end_date", NEW."event_type", NEW."fatalities_best", NEW."fatalities_high", NEW."fatalities_low", NEW."id", NEW."part_of_id", _pgh_attach_context(), clock_timestamp(), \'update\', NEW."id", NEW."place_id", NEW."previous_slugs", NEW."slug", NEW."start_date", NEW."sub_event_type", NEW."summary", NEW."title", NEW."updated_at"); RETURN NULL;',
                    hash="a734320ff9b0b1800b251f6632196f3f66737bff",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_73f59",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_eventversion" ("created_at", "date_precision", "end_date", "event_type", "fatalities_best", "fatalities_high", "fatalities_low", "id", "part_of_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place_id", "previous_slugs", "slug", "start_date", "sub_event_type", "summary", "title", "updated_at") VALUES (OLD."created_at", OLD."date_precision", OLD."end_date", OLD."event_type", OLD."fatalities_best", OLD."fatalities_high", OLD."fatalities_low", OLD."id", OLD."part_of_id", _pgh_attach_context(), clock_timestamp(), \'delete\', OLD."id", OLD."place_id", OLD."previous_slugs", OLD."slug", OLD."start_date", OLD."sub_event_type", OLD."summary", OLD."title", OLD."updated_at"); RETURN NULL;',
                    hash="e01f2e1b549eeecb343e723deb6996f56499fc6d",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_d74a6",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="previous_slugs_kept",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nIF TG_OP = 'UPDATE' THEN\n    IF NEW.slug IS DISTINCT FROM OLD.slug THEN\n        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;\n    END IF;\n    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)\n               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN\n        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';\n    END IF;\nEND IF;\nNEW.previous_slugs := ARRAY(\n    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)\n    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)\n);\nRETURN NEW;\n",
                    hash="fe55a3997fc5cbcd9703d3fb475be6fe54dc13e0",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_previous_slugs_kept_436e3",
                    table="events_place",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, n.id\nFROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);\nRETURN NULL;\n",
                    hash="382e2a86f4eb63d4619bdcb501e9c8b0dff672f3",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_slugs_published_insert_0166f",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs)",
                    func="\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)\nWHERE NOT EXISTS (\n    SELECT FROM conflictdb_publishedslug p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id\n);\nRETURN NULL;\n",
                    hash="a0987e37766a4daed421add8686223acab3ac37d",
                    operation='UPDATE OF "slug", "previous_slugs"',
                    pgid="pgtrigger_slugs_published_update_da76f",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="slugs_published_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nDELETE FROM conflictdb_publishedslug p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;\nRETURN NULL;\n",
                    hash="9c25e297b573fb737028d91dd5e74ec6ef21e9a3",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_slugs_published_delete_42e08",
                    referencing="REFERENCING OLD TABLE AS old_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_placeversion" ("admin1", "aliases", "country", "created_at", "geo_precision", "id", "latitude", "longitude", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (NEW."admin1", NEW."aliases", NEW."country", NEW."created_at", NEW."geo_precision", NEW."id", NEW."latitude", NEW."longitude", NEW."name", _pgh_attach_context(), clock_timestamp(), \'insert\', NEW."id", NEW."previous_slugs", NEW."slug", NEW."updated_at"); RETURN NULL;',
                    hash="fec8625c6376044f680ee96564f412546a9a67f9",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_5a780",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."admin1" IS DISTINCT FROM (NEW."admin1") OR OLD."aliases" IS DISTINCT FROM (NEW."aliases") OR OLD."country" IS DISTINCT FROM (NEW."country") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."geo_precision" IS DISTINCT FROM (NEW."geo_precision") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."latitude" IS DISTINCT FROM (NEW."latitude") OR OLD."longitude" IS DISTINCT FROM (NEW."longitude") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."previous_slugs" IS DISTINCT FROM (NEW."previous_slugs") OR OLD."slug" IS DISTINCT FROM (NEW."slug") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))',
                    func='INSERT INTO "events_placeversion" ("admin1", "aliases", "country", "created_at", "geo_precision", "id", "latitude", "longitude", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (NEW."admin1", NEW."aliases", NEW."country", NEW."created_at", NEW."geo_precision", NEW."id", NEW."latitude", NEW."longitude", NEW."name", _pgh_attach_context(), clock_timestamp(), \'update\', NEW."id", NEW."previous_slugs", NEW."slug", NEW."updated_at"); RETURN NULL;',
                    hash="8a32e1aaa4581f74665dba956644efe5c43d3a16",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_29874",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "events_placeversion" ("admin1", "aliases", "country", "created_at", "geo_precision", "id", "latitude", "longitude", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "slug", "updated_at") VALUES (OLD."admin1", OLD."aliases", OLD."country", OLD."created_at", OLD."geo_precision", OLD."id", OLD."latitude", OLD."longitude", OLD."name", _pgh_attach_context(), clock_timestamp(), \'delete\', OLD."id", OLD."previous_slugs", OLD."slug", OLD."updated_at"); RETURN NULL;',
                    hash="977fccbb45983ab67193185f4ad86cc7e394e9c1",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_d1256",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunSQL(
            "INSERT INTO conflictdb_publishedslug (kind, slug, record_id) SELECT 'events_actor', slug, id FROM events_actor",
            "DELETE FROM conflictdb_publishedslug WHERE kind = 'events_actor'",
        ),
        migrations.RunSQL(
            "INSERT INTO conflictdb_publishedslug (kind, slug, record_id) SELECT 'events_place', slug, id FROM events_place",
            "DELETE FROM conflictdb_publishedslug WHERE kind = 'events_place'",
        ),
        migrations.RunSQL(
            "INSERT INTO conflictdb_publishedslug (kind, slug, record_id) SELECT 'events_event', slug, id FROM events_event",
            "DELETE FROM conflictdb_publishedslug WHERE kind = 'events_event'",
        ),
        migrations.RunSQL(
            "INSERT INTO conflictdb_publishedslug (kind, slug, record_id) SELECT 'events_claim', slug, id FROM events_claim",
            "DELETE FROM conflictdb_publishedslug WHERE kind = 'events_claim'",
        ),
    ]
