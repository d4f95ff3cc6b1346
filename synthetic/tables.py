"""The tables synthetic rows go into, and how they are written there without the history's row triggers.

Synthetic rows are loaded and removed with the pghistory triggers of every tracked model ignored
(`pgtrigger.ignore`), so that a million events do not fire a million triggers; when a load writes a
history, the versions are written in bulk instead (synthetic/history.py), and removed with the rows (the
version tables' append-only triggers ignored too). The search triggers are not in that list (they are
declared in the models' Meta.triggers) and still fill `search_names` and `search_text`.
"""

from collections.abc import Sequence
from contextlib import contextmanager

import pgtrigger
from django.db import connection, models

from conflictdb.models import SYNTHETIC_PREFIX
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.models import Source

TRACKED = (Source, Actor, Place, Event, EventActor, Claim, ClaimRelation)  # in loading order
PUBLIC = (Source, Actor, Place, Event, Claim)  # the models with slugs


def table_names() -> list[str]:
    return [model._meta.db_table for model in TRACKED]


def exists() -> bool:
    """Whether any synthetic row is in the database."""
    return any(model.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists() for model in PUBLIC)


def execute(cursor, sql: str, params: Sequence | None = None):
    # pgtrigger.ignore() adds a parameter to every statement, so a literal % must always be doubled.
    cursor.execute(sql if params else sql.replace("%", "%%"), params or [])


def version_model(model: type[models.Model]) -> type[models.Model]:
    """The model's pghistory version model (the `history` of its rows)."""
    return model._meta.get_field("history").related_model


def history_triggers(*operations: str) -> list[str]:
    """The URIs of the pghistory triggers of every tracked model for `operations` ("insert", "update",
    "delete"), and with "append_only" the triggers that keep their version tables' rows from deletion."""
    return [
        f"{version_model(model)._meta.label}:append_only"
        if operation == "append_only"
        else f"{model._meta.label}:{operation}_{operation}"
        for model in TRACKED
        for operation in operations
    ]


@contextmanager
def without_history(*operations: str, also: Sequence[str] = ()):
    """Inside a transaction: a cursor whose writes, COPY included, fire no pghistory trigger of `operations`
    (nor the triggers of the URIs `also` lists).

    pgtrigger sets its ignore list (a transaction-local setting) with each statement Django executes; COPY
    bypasses Django's execute wrappers, so the list is set here, by a first statement, and checked.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("without_history() must run inside transaction.atomic()")
    uris = [*history_triggers(*operations), *also]
    pgids = [trigger.get_pgid(model) for model, trigger in pgtrigger.registered(*uris)]
    with pgtrigger.ignore(*uris), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        ignored = cursor.fetchone()[0] or ""
        missing = [pgid for pgid in pgids if pgid not in ignored]
        if missing:
            raise RuntimeError(f"history triggers would fire: {', '.join(missing)}")
        yield cursor
