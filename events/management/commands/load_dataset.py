"""manage.py load_dataset: validate and load the curated dataset files in one transaction."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.dataset import DatasetError, load


class Command(BaseCommand):
    help = "Validate and load every record of the dataset files in one transaction: all of them, or none."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders (default: the project's fixtures/).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, *args, paths, dry_run, **options):
        paths = paths or [settings.BASE_DIR / "fixtures"]
        try:
            report = load(paths, dry_run=dry_run)
        except DatasetError as exc:
            for rejection in exc.rejected:
                self.stderr.write(f"rejected: {rejection}")
            raise CommandError(f"{len(exc.rejected)} problem(s) found; nothing was written.") from exc
        for line in report.lines():
            self.stdout.write(line)
        created, updated, unchanged = (report.total(o) for o in ("created", "updated", "unchanged"))
        self.stdout.write(f"total: {created} created, {updated} updated, {unchanged} unchanged, 0 rejected")
        if dry_run:
            self.stdout.write("dry run: nothing was written")
        elif not created and not updated:
            self.stdout.write("nothing changed")
