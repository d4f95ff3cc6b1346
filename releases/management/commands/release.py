"""manage.py release: make a named, immutable release of the curated dataset, or list the releases."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from releases.making import ReleaseError, make_release
from releases.models import Release


class Command(BaseCommand):
    help = "Make a release of the curated dataset (as a curator or administrator), or list the releases."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a release: its files, counts and citation.")
        create.add_argument("name", help="Never reused: letters, digits, '.', '_' and '-'.")
        create.add_argument("--user", required=True, help="The curator (or administrator) who makes it.")
        create.add_argument("--notes", default="", help="What is in it, or why it was made.")
        actions.add_parser("list", help="The releases, newest first.")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, *, name, user, notes, **options):
        curator = get_user_model().objects.filter(username=user).first()
        if curator is None:
            raise CommandError(f"No user {user!r}.")
        try:
            release = make_release(name=name, user=curator, notes=notes)
        except ReleaseError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"release {release.name} at {release.created_at.isoformat()}")
        for collection, count in release.counts.items():
            self.stdout.write(f"  {collection}: {count}")
        for file in release.files.order_by("name"):
            self.stdout.write(f"  {file.name}  {file.size} bytes  sha256 {file.sha256}")

    def list(self, **options):
        for release in Release.objects.all():
            counts = ", ".join(f"{n} {collection}" for collection, n in release.counts.items())
            self.stdout.write(
                f"{release.name}  {release.created_at.isoformat()}  {release.created_by}  {counts}"
            )
