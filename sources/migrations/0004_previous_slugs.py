"""Previous slugs: the column, its triggers (conflictdb/slugs.py), and every current slug published in
conflictdb_publishedslug, as the triggers will publish those of records written from now on."""

import django.contrib.postgres.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0003_version_indexes'),
        ('conflictdb', '0002_published_slugs'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='source',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='source',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='source',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='source',
            name='previous_slugs',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.SlugField(max_length=120), blank=True, db_default=[], default=list, help_text='Slugs the record had before, oldest first: their URLs and filters still lead to it.', size=None),
        ),
        migrations.AddField(
            model_name='sourceversion',
            name='previous_slugs',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.SlugField(max_length=120), blank=True, db_default=[], default=list, help_text='Slugs the record had before, oldest first: their URLs and filters still lead to it.', size=None),
        ),
        migrations.AlterField(
            model_name='source',
            name='slug',
            field=models.SlugField(help_text='Public identifier; a rename keeps the old one published.', max_length=120, unique=True),
        ),
        migrations.AlterField(
            model_name='sourceversion',
            name='slug',
            field=models.SlugField(db_index=False, help_text='Public identifier; a rename keeps the old one published.', max_length=120),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='previous_slugs_kept', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nIF TG_OP = 'UPDATE' THEN\n    IF NEW.slug IS DISTINCT FROM OLD.slug THEN\n        NEW.previous_slugs := array_remove(NEW.previous_slugs, OLD.slug) || OLD.slug;\n    END IF;\n    IF EXISTS (SELECT FROM unnest(OLD.previous_slugs) AS kept(slug)\n               WHERE kept.slug <> NEW.slug AND kept.slug <> ALL(NEW.previous_slugs)) THEN\n        RAISE EXCEPTION 'A previous slug is never taken away: links to it lead to the record.'\n            USING ERRCODE = 'check_violation', CONSTRAINT = 'previous_slugs_kept';\n    END IF;\nEND IF;\nNEW.previous_slugs := ARRAY(\n    SELECT p.slug FROM unnest(NEW.previous_slugs) WITH ORDINALITY AS p(slug, n)\n    WHERE p.slug <> NEW.slug GROUP BY p.slug ORDER BY min(p.n)\n);\nRETURN NEW;\n", hash='7c2c2f7d7e8210404c727d843c36f065599c6258', operation='INSERT OR UPDATE', pgid='pgtrigger_previous_slugs_kept_f2c81', table='sources_source', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='slugs_published_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, n.id\nFROM new_values n CROSS JOIN LATERAL unnest(n.previous_slugs || n.slug) AS s(slug);\nRETURN NULL;\n', hash='ea314fd2f4a59353555f199c1a086ec7b62369c3', level='STATEMENT', operation='INSERT', pgid='pgtrigger_slugs_published_insert_63b87', referencing='REFERENCING NEW TABLE AS new_values ', table='sources_source', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='slugs_published_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.previous_slugs IS DISTINCT FROM NEW.previous_slugs)', func='\nINSERT INTO conflictdb_publishedslug (kind, slug, record_id)\nSELECT TG_TABLE_NAME, s.slug, NEW.id FROM unnest(NEW.previous_slugs || NEW.slug) AS s(slug)\nWHERE NOT EXISTS (\n    SELECT FROM conflictdb_publishedslug p WHERE p.kind = TG_TABLE_NAME AND p.slug = s.slug AND p.record_id = NEW.id\n);\nRETURN NULL;\n', hash='c0ac3765d05b828e916ebd264adeb7733c34112b', operation='UPDATE OF "slug", "previous_slugs"', pgid='pgtrigger_slugs_published_update_1f4ea', table='sources_source', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='slugs_published_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\nDELETE FROM conflictdb_publishedslug p USING old_values o WHERE p.kind = TG_TABLE_NAME AND p.record_id = o.id;\nRETURN NULL;\n', hash='de01747ab1dd76a99585571fb3bbea90b56d4d90', level='STATEMENT', operation='DELETE', pgid='pgtrigger_slugs_published_delete_b49ce', referencing='REFERENCING OLD TABLE AS old_values ', table='sources_source', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "sources_sourceversion" ("authors", "created_at", "date_inferred", "date_precision", "dateline", "id", "kind", "language", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "published_on", "publisher", "reported_in_id", "slug", "title", "updated_at", "url") VALUES (NEW."authors", NEW."created_at", NEW."date_inferred", NEW."date_precision", NEW."dateline", NEW."id", NEW."kind", NEW."language", NEW."notes", _pgh_attach_context(), clock_timestamp(), \'insert\', NEW."id", NEW."previous_slugs", NEW."published_on", NEW."publisher", NEW."reported_in_id", NEW."slug", NEW."title", NEW."updated_at", NEW."url"); RETURN NULL;', hash='b1fcfe001f0298287740db19d5a59b45dfa557e1', operation='INSERT', pgid='pgtrigger_insert_insert_c3ed3', table='sources_source', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."authors" IS DISTINCT FROM (NEW."authors") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."date_inferred" IS DISTINCT FROM (NEW."date_inferred") OR OLD."date_precision" IS DISTINCT FROM (NEW."date_precision") OR OLD."dateline" IS DISTINCT FROM (NEW."dateline") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."language" IS DISTINCT FROM (NEW."language") OR OLD."notes" IS DISTINCT FROM (NEW."notes") OR OLD."previous_slugs" IS DISTINCT FROM (NEW."previous_slugs") OR OLD."published_on" IS DISTINCT FROM (NEW."published_on") OR OLD."publisher" IS DISTINCT FROM (NEW."publisher") OR OLD."reported_in_id" IS DISTINCT FROM (NEW."reported_in_id") OR OLD."slug" IS DISTINCT FROM (NEW."slug") OR OLD."title" IS DISTINCT FROM (NEW."title") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."url" IS DISTINCT FROM (NEW."url"))', func='INSERT INTO "sources_sourceversion" ("authors", "created_at", "date_inferred", "date_precision", "dateline", "id", "kind", "language", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "published_on", "publisher", "reported_in_id", "slug", "title", "updated_at", "url") VALUES (NEW."authors", NEW."created_at", NEW."date_inferred", NEW."date_precision", NEW."dateline", NEW."id", NEW."kind", NEW."language", NEW."notes", _pgh_attach_context(), clock_timestamp(), \'update\', NEW."id", NEW."previous_slugs", NEW."published_on", NEW."publisher", NEW."reported_in_id", NEW."slug", NEW."title", NEW."updated_at", NEW."url"); RETURN NULL;', hash='9ca4f90ae9465bdfc4868241da92fd627e11a2c9', operation='UPDATE', pgid='pgtrigger_update_update_e6185', table='sources_source', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='source',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "sources_sourceversion" ("authors", "created_at", "date_inferred", "date_precision", "dateline", "id", "kind", "language", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_slugs", "published_on", "publisher", "reported_in_id", "slug", "title", "updated_at", "url") VALUES (OLD."authors", OLD."created_at", OLD."date_inferred", OLD."date_precision", OLD."dateline", OLD."id", OLD."kind", OLD."language", OLD."notes", _pgh_attach_context(), clock_timestamp(), \'delete\', OLD."id", OLD."previous_slugs", OLD."published_on", OLD."publisher", OLD."reported_in_id", OLD."slug", OLD."title", OLD."updated_at", OLD."url"); RETURN NULL;', hash='358f0bf180cf30d778f8d763c24506493d3d6a24', operation='DELETE', pgid='pgtrigger_delete_delete_fde77', table='sources_source', when='AFTER')),
        ),
        migrations.RunSQL(
            "INSERT INTO conflictdb_publishedslug (kind, slug, record_id) SELECT 'sources_source', slug, id FROM sources_source",
            "DELETE FROM conflictdb_publishedslug WHERE kind = 'sources_source'",
        ),
    ]
