"""manage.py generate_synthetic: load (or remove) a large synthetic dataset for benchmarks.

Synthetic rows are benchmark data, not facts: slugs start with `synthetic-`, source titles say
"(not real data)". They are loaded with COPY in one transaction with the row triggers off (the pghistory
ones included); with --history, their versions are written in bulk (creation, then generations of edits,
each committed on its own); see the synthetic package.
"""

from django.core.management.base import BaseCommand, CommandError

from conflictdb import roles
from synthetic import loading, removal


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic dataset of N events (with places, actors, sources, claims) for "
        "benchmarks, with COPY in one transaction. Synthetic rows (slugs starting with 'synthetic-') are "
        "benchmark data, not facts. They are loaded without history (no version rows) unless --history "
        "asks for one, written in bulk; removing them removes their versions too. A load at least as "
        "large as the events table drops the tables' secondary indexes and foreign keys and builds them "
        "again before committing (the tables are locked meanwhile)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10_000, help="How many events (default 10000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed, the same data.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove synthetic data already loaded, then load."
        )
        parser.add_argument(
            "--remove", action="store_true", help="Only remove every synthetic row (its links, its versions)."
        )
        parser.add_argument(
            "--history",
            type=int,
            nargs="?",
            const=3,
            default=0,
            metavar="GENERATIONS",
            help="Write a history: the rows' creation versions, then GENERATIONS (default 3) generations of "
            "curators' edits (amended titles, revised fatalities, restated claims, events deleted and "
            "recorded), each committed on its own. Without it, synthetic rows have no versions.",
        )

        parser.add_argument(
            "--copies",
            type=int,
            default=1,
            metavar="K",
            help="Load K times as many events: the EVENTS derived, then K - 1 copies of them, their claims "
            "and links, made by PostgreSQL with their own ids and slugs (synthetic/copies.py): the way to "
            "ten million events in minutes. Default 1.",
        )

    def handle(self, *args, events, seed, replace, remove, history, copies, **options):
        # Dropping indexes and ignoring the history triggers are the owner's (conflictdb/roles.py).
        roles.connect_as_owner()
        if remove:
            for table, count in removal.remove().items():
                self.stdout.write(f"removed {table}: {count} rows")
            return
        if events < 1:
            raise CommandError("--events must be at least 1.")
        if copies < 1:
            raise CommandError("--copies takes how many times the events are loaded, at least 1.")
        if history < 0:
            raise CommandError("--history takes a number of generations, at least 0.")
        try:
            report = loading.generate(
                events=events,
                seed=seed,
                replace=replace,
                history=history,
                copies=copies,
                progress=self.stdout.write,
            )
        except loading.SyntheticDataExists as exc:
            raise CommandError(
                "Synthetic data is already loaded: run with --replace to replace it, or --remove first."
            ) from exc
        for step in ("copies", "indexes", "foreign keys", "history generation 0", "vacuum and analyze"):
            if step in report.seconds:
                self.stdout.write(f"{step}: {report.seconds[step]:.1f}s")
        total = sum(report.rows.values())
        versions = f"{report.versions} version rows" if history else "no history rows"
        self.stdout.write(f"total: {total} rows in {report.total_seconds:.1f}s (seed {seed}, {versions})")
