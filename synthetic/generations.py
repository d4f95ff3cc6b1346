"""Later generations of the synthetic records' history: curators' edits, each generation committed alone.

Each generation edits a deterministic share of the synthetic events, chosen by a hash of their slug and
the generation's number (the same seed, the same history), as curators do:
- 3% amended: the title says which revision it is;
- 7% with their fatalities revised upwards (best, and high when given);
- 2% of the synthetic claims restated (the statement says which revision it is);
- 0.5% deleted, with their claims, their claims' relations and their actors' links;
- 0.5% recorded again as new events (`<slug>-g<generation>`), with the same actors and copies of their
  claims (without relations).
The shares are what a generation at a million events can write in about two minutes on the shared 2-CPU
machine: most of the time is the tables' twenty-odd indexes and the tallies' triggers, not the versions.
Events another record depends on (a part of them, evidence, a curated claim) are never deleted.

The rows are written set-based, with the pghistory row triggers ignored; every other trigger runs, so the
claim summaries, tallies, search columns and the slug register stay right. Their versions are then written
in bulk (synthetic/history.py), one statement per table and operation. With `bulk=False` the same edits go
through the pghistory triggers instead (what the bulk writer is compared with; slower).
"""

from django.db import connection, transaction

from conflictdb.fieldlists import stored_columns
from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from events.models import Claim, ClaimRelation, Event, EventActor
from synthetic.history import LABELS, context, generator_metadata, write_versions
from synthetic.tables import execute, without_history

SYNTHETIC = f"starts_with(slug, '{PREFIX}')"  # no %: statements here may or may not take parameters


def bucket(generation: int) -> str:
    """SQL: the row's share number (0-999) in `generation`, from a hash of its slug."""
    return f"mod(('x' || substr(md5(slug || ':{generation:d}'), 1, 7))::bit(28)::int, 1000)"


REVISION = r"' \(revision \d+\)$'"  # a regular expression: the revision an earlier generation noted
CHOSEN = {  # the events each generation picks, by share number: [low, high)
    "amended": (0, 30),
    "revised": (30, 100),
    "recorded": (100, 105),
    "deleted": (995, 1000),
}
RESTATED = 20  # of each thousand claims
# An event deleted leaves nothing pointing at it: no part of it, no evidence citing it or its claims, no
# curated claim about it or related to one of its claims (a curated row is never changed).
DELETABLE = (
    "NOT EXISTS (SELECT FROM events_event p WHERE p.part_of_id = e.id)"
    " AND NOT EXISTS (SELECT FROM events_eventevidence v WHERE v.event_id = e.id)"
    " AND NOT EXISTS (SELECT FROM events_claim c WHERE c.event_id = e.id AND"
    f" (NOT starts_with(c.slug, '{PREFIX}')"
    " OR EXISTS (SELECT FROM events_eventevidence v WHERE v.claim_id = c.id)"
    " OR EXISTS (SELECT FROM events_claimrelation r JOIN events_claim o"
    " ON o.id IN (r.from_claim_id, r.to_claim_id) WHERE c.id IN (r.from_claim_id, r.to_claim_id)"
    f" AND NOT starts_with(o.slug, '{PREFIX}'))))"
)


def commit(generation: int, *, bulk: bool = True) -> dict[str, int]:
    """Write `generation` in a transaction of its own; the rows changed of each kind, and the versions."""
    with transaction.atomic(), without_history(*LABELS) if bulk else connection.cursor() as cursor:
        return edit(cursor, generation, bulk=bulk)


def edit(cursor, generation: int, *, bulk: bool = True) -> dict[str, int]:
    """One generation's edits, in the caller's transaction; the rows changed of each kind."""
    g = generation
    context_id = context(cursor, f"generation {g}", generator_metadata(g)) if bulk else None
    counts = {"versions": 0}

    def versions(model, label, condition):
        if bulk:
            counts["versions"] += write_versions(cursor, model, label, condition, context_id=context_id)

    for name, (low, high) in CHOSEN.items():
        execute(cursor, f"DROP TABLE IF EXISTS synthetic_{name}")
        execute(
            cursor,
            f"CREATE TEMPORARY TABLE synthetic_{name} AS SELECT id FROM events_event e WHERE {SYNTHETIC}"
            f" AND {bucket(g)} >= {low} AND {bucket(g)} < {high}"
            + (f" AND {DELETABLE}" if name == "deleted" else "")
            + " ORDER BY id",
        )
        if name == "deleted":
            counts[name] = cursor.rowcount
        execute(cursor, f"ANALYZE synthetic_{name}")  # the planner's estimates of the joins with it
    best = "greatest(coalesce(fatalities_best, 0), coalesce(fatalities_low, 0))"
    edits = (
        (Event, "amended", f"title = left(regexp_replace(title, {REVISION}, '') || ' (revision {g})', 300)"),
        (
            Event,
            "revised",
            f"fatalities_best = {best} + {g}, fatalities_high = CASE WHEN fatalities_high IS NULL"
            f" THEN NULL ELSE greatest(fatalities_high, {best} + {g}) END",
        ),
        (Claim, "restated", f"statement = regexp_replace(statement, {REVISION}, '') || ' (revision {g})'"),
    )
    for model, name, change in edits:  # claims are chosen by their own slugs' hash
        chosen = (
            f"id IN (SELECT id FROM synthetic_{name})"
            if model is Event
            else f"{SYNTHETIC} AND {bucket(g)} < {RESTATED}"
        )
        execute(cursor, f"UPDATE {model._meta.db_table} SET updated_at = now(), {change} WHERE {chosen}")
        counts[name] = cursor.rowcount
        versions(model, "update", chosen)
    counts.update(record_again(cursor, g, versions))
    delete(cursor, versions)
    for name in CHOSEN:
        execute(cursor, f"DROP TABLE synthetic_{name}")
    return counts


def copied(model, suffix: str, **values: str) -> tuple[str, str]:
    """The column list and select list copying a row of `model` (as `o`) under its slug and `suffix`, but
    for `values` (SQL) and the columns its triggers or defaults fill: the id, the previous slugs, the
    claim summary, the search."""
    columns = [c for c in stored_columns(model) if c not in ("slug", "previous_slugs", *values)]
    return (
        ", ".join(["slug", *values, *columns, "created_at", "updated_at"]),
        ", ".join([f"o.slug || {suffix}", *values.values(), *[f"o.{c}" for c in columns], "now(), now()"]),
    )


def record_again(cursor, g: int, versions) -> dict[str, int]:
    """New events like the chosen ones (same place, type, dates and actors), with copies of their claims."""
    suffix = f"'-g{g:d}'"
    pairs = (
        "SELECT o.id AS old_id, n.id AS new_id FROM events_event o JOIN events_event n"
        f" ON n.slug = o.slug || {suffix} WHERE o.id IN (SELECT id FROM synthetic_recorded)"
    )
    summary = f"'Synthetic benchmark event (not real data), recorded again in generation {g:d}.'"
    statements = (
        (
            Event,
            "INSERT INTO events_event ({}) SELECT {} FROM events_event o".format(
                *copied(Event, suffix, summary=summary)
            )
            + " WHERE o.id IN (SELECT id FROM synthetic_recorded) ORDER BY o.id",
            f"id IN (SELECT new_id FROM ({pairs}) AS p)",
        ),
        (
            EventActor,
            "INSERT INTO events_eventactor (event_id, actor_id, role) SELECT p.new_id, o.actor_id, o.role"
            f" FROM events_eventactor o JOIN ({pairs}) AS p ON p.old_id = o.event_id ORDER BY o.id",
            f"event_id IN (SELECT new_id FROM ({pairs}) AS p)",
        ),
        (
            Claim,
            "INSERT INTO events_claim ({}) SELECT {} FROM events_claim o".format(
                *copied(Claim, suffix, event_id="p.new_id")
            )
            + f" JOIN ({pairs}) AS p ON p.old_id = o.event_id ORDER BY o.id",
            f"event_id IN (SELECT new_id FROM ({pairs}) AS p)",
        ),
    )
    counts = {}
    for model, insert, written in statements:
        execute(cursor, insert)
        counts[f"{model._meta.verbose_name_plural} recorded"] = cursor.rowcount
        versions(model, "insert", written)
    return counts


def delete(cursor, versions) -> None:
    """Delete the chosen events with their claims, relations and actors' links; their versions first."""
    claims = "SELECT id FROM events_claim WHERE event_id IN (SELECT id FROM synthetic_deleted)"
    # The relations from or to those claims as one union, not `from_claim_id IN (…) OR to_claim_id IN (…)`:
    # an OR of subqueries is not a join, and once the claims outgrow work_mem each relation scanned them
    # all (minutes at a million events).
    relations = (
        f"SELECT r.id FROM events_claimrelation r WHERE r.from_claim_id IN ({claims})"
        f" UNION SELECT r.id FROM events_claimrelation r WHERE r.to_claim_id IN ({claims})"
    )
    for model, condition in (
        (ClaimRelation, f"id IN ({relations})"),
        (Claim, f"id IN ({claims})"),
        (EventActor, "event_id IN (SELECT id FROM synthetic_deleted)"),
        (Event, "id IN (SELECT id FROM synthetic_deleted)"),
    ):
        versions(model, "delete", condition)
        execute(cursor, f"DELETE FROM {model._meta.db_table} WHERE {condition}")
