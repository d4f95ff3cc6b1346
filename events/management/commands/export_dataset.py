"""manage.py export_dataset: write the database back to the dataset files, for review as a diff."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from events.dataset import export


class Command(BaseCommand):
    help = "Write every source, actor, place, event and claim to dataset files in the fixture format."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Folder to write to (default: the project's fixtures/)."
        )

    def handle(self, *args, output, **options):
        written = export(output or settings.BASE_DIR / "fixtures")
        self.stdout.write(f"wrote {len(written)} file(s)")
