"""manage.py generate_synthetic: load (or remove) a large synthetic dataset for benchmarks.

Synthetic rows are benchmark data, not facts: slugs start with `synthetic-`, source titles say
"(not real data)". They are loaded with COPY in one transaction and without history (the pghistory
triggers are disabled while they are written, ignored while removed); see the synthetic package.
"""

from django.core.management.base import BaseCommand, CommandError

from conflictdb import roles
from synthetic import loading, removal


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic dataset of N events (with places, actors, sources, claims) for "
        "benchmarks, with COPY in one transaction. Synthetic rows (slugs starting with 'synthetic-') are "
        "benchmark data, not facts, and are loaded and removed WITHOUT history: the pghistory triggers are "
        "off, no version rows are written. A load at least as large as the events table drops the "
        "tables' secondary indexes and foreign keys and builds them again before committing (the tables "
        "are locked meanwhile)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10_000, help="How many events (default 10000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed, the same data.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove synthetic data already loaded, then load."
        )
        parser.add_argument(
            "--remove", action="store_true", help="Only remove every synthetic row (and its links)."
        )

    def handle(self, *args, events, seed, replace, remove, **options):
        # Dropping indexes and ignoring the history triggers are the owner's (conflictdb/roles.py).
        roles.connect_as_owner()
        if remove:
            for table, count in removal.remove().items():
                self.stdout.write(f"removed {table}: {count} rows")
            return
        if events < 1:
            raise CommandError("--events must be at least 1.")
        try:
            report = loading.generate(events=events, seed=seed, replace=replace, progress=self.stdout.write)
        except loading.SyntheticDataExists as exc:
            raise CommandError(
                "Synthetic data is already loaded: run with --replace to replace it, or --remove first."
            ) from exc
        for step in ("indexes", "foreign keys", "vacuum and analyze"):
            if step in report.seconds:
                self.stdout.write(f"{step}: {report.seconds[step]:.1f}s")
        total = sum(report.rows.values())
        self.stdout.write(
            f"total: {total} rows in {report.total_seconds:.1f}s (seed {seed}, no history rows)"
        )
