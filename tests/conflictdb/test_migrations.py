"""The migrations describe the models and stand alone: no change to a model (a constraint, an index, a
trigger) is left unmigrated, no migration runs the application's code (whose later edits would change
what an old migration does), and however a database is migrated, it ends with the same schema."""

import ast
from pathlib import Path

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from pgtrigger.core import INSTALLED

from tests import schema_dump
from tests.throwaway import manage, new_database

# The project's own packages; only their migrations may be imported by a migration.
PROJECT_PACKAGES = {path.parent.name for path in Path(settings.BASE_DIR).glob("*/__init__.py")}
MIGRATIONS = sorted(Path(settings.BASE_DIR).glob("*/migrations/[0-9]*.py"))
IMPORTERS = {"import_module", "__import__"}


def called(call: ast.Call) -> str:
    """The name of the function a call calls: `import_module` for importlib.import_module(...)."""
    return getattr(call.func, "attr", getattr(call.func, "id", ""))


def named_module(call: ast.Call) -> bool:
    return bool(call.args) and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)


def imported_modules(source: str, package: str) -> list[str]:
    """Every module the source of a migration of `package` imports, relative imports resolved, with
    those named to importlib.import_module()."""
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from the migrations package (level 1) or above it
                base = f"{package}.migrations".split(".")[: 3 - node.level]
                modules.append(".".join([*base, *([node.module] if node.module else [])]))
            else:
                modules.append(node.module)
        elif isinstance(node, ast.Call) and called(node) in IMPORTERS and named_module(node):
            modules.append(node.args[0].value)
    return modules


def application_imports(source: str, package: str) -> list[str]:
    """The modules of the project, other than migrations, that a migration's source imports."""
    return [
        module
        for module in imported_modules(source, package)
        if module.split(".")[0] in PROJECT_PACKAGES and module.split(".")[1:2] != ["migrations"]
    ]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_no_migration_imports_application_code():
    assert {"events", "sources", "conflictdb"} <= PROJECT_PACKAGES
    assert {path.parent.parent.name for path in MIGRATIONS} >= {"events", "sources"}

    found = {path: application_imports(path.read_text(), path.parent.parent.name) for path in MIGRATIONS}

    assert {"/".join(path.parts[-3:]): modules for path, modules in found.items() if modules} == {}


@pytest.mark.parametrize(
    "line",
    [
        "from events.summary import summary_triggers",
        "import conflictdb.search",
        "from sources import models",
        "from ..curators import ensure_curators_group",
        "from .. import models",
        'importlib.import_module("events.curators")',
    ],
)
def test_an_import_of_application_code_is_found(line):
    assert application_imports(f"from django.db import migrations\n{line}\n", "events") != []


@pytest.mark.parametrize(
    "line",
    [
        "import pgtrigger.migrations",
        "from django.contrib.auth.management import create_permissions",
        'INITIAL = importlib.import_module("events.migrations.0002_initial")',
        "from . import helpers",
        "from sources.migrations import helpers",
    ],
)
def test_an_import_of_a_library_or_a_migration_is_allowed(line):
    assert application_imports(f"{line}\n", "events") == []


@pytest.mark.django_db
def test_the_migrated_database_has_every_declared_trigger_and_no_other():
    """pgtrigger finds each trigger the models declare installed as declared (not outdated), none of its
    own left over, and no trigger outside its care (a RunSQL one not dropped). No trigger function is
    left without its trigger either: pgtrigger leaves one behind when a migration removes a trigger, so
    such a migration drops the function too. The exceptions: the triggers that keep history contexts
    append-only and releases immutable are plain SQL on purpose, as pgtrigger's could be skipped
    (conflictdb/migrations/0001, releases/migrations/0002)."""
    statuses = {
        trigger.get_uri(model): trigger.get_installation_status(model)[0]
        for model, trigger in pgtrigger.registered()
    }
    assert {"events.Claim:search_text", "events.ClaimRelation:claim_summary_update"} <= set(statuses)
    assert {uri: status for uri, status in statuses.items() if status != INSTALLED} == {}
    assert pgtrigger.installation.prunable() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE NOT tgisinternal AND tgname NOT LIKE 'pgtrigger\\_%'"
        )
        assert sorted(cursor.fetchall()) == [
            ("pghistory_context", "conflictdb_context_append_only"),
            ("releases_release", "releases_immutable"),
            ("releases_releasefile", "releases_immutable"),
            ("releases_releasefilechunk", "releases_immutable"),
        ]
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE prorettype = 'trigger'::regtype"
            " AND pronamespace = 'public'::regnamespace AND proname NOT IN (SELECT tgname FROM pg_trigger)"
        )
        assert cursor.fetchall() == []


# Applies every migration of the plan alone, in order, as a database kept up to date over the project's
# history was migrated (each with its post_migrate signals: permissions, content types).
ONE_AT_A_TIME = """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes()):
    call_command("migrate", migration.app_label, migration.name, verbosity=0)
"""


@pytest.mark.skipif(schema_dump.pg_dump() is None, reason="pg_dump is not installed (PostgreSQL client)")
def test_a_database_migrated_one_migration_at_a_time_has_the_schema_of_one_migrated_at_once(
    migrated_database,
):
    at_once = migrated_database  # by manage.py migrate, all at once
    with new_database("conflictdb_one_by_one") as one_by_one:
        if schema_dump.pg_dump(at_once) is None:
            pytest.skip("no pg_dump of the test server's major version (PostgreSQL client)")
        manage(one_by_one, "shell", "-c", ONE_AT_A_TIME)
        assert "[ ]" not in manage(one_by_one, "showmigrations")

        assert schema_dump.difference(schema_dump.schema(at_once), schema_dump.schema(one_by_one)) == ""


@pytest.mark.django_db
def test_no_vocabulary_column_has_a_pattern_index():
    """A column of a vocabulary's values (a field with choices) is compared whole: its index is a plain
    B-tree, without the `LIKE` twin (varchar_pattern_ops) that `db_index=True` would add
    (conflictdb.models.vocabulary_index)."""
    from django.apps import apps

    vocabulary = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.choices and model._meta.managed
    }
    assert ("events_claim", "status") in vocabulary
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indrelid::regclass::text, a.attname FROM pg_index i"
            " CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[]) AS k(attnum, opclass)"
            " JOIN pg_opclass o ON o.oid = k.opclass AND o.opcname = 'varchar_pattern_ops'"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
        )
        patterned = set(cursor.fetchall())
    assert ("events_event", "slug") in patterned  # the slugs' own, which slug__startswith uses
    assert patterned & vocabulary == set()
