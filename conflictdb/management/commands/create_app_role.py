"""manage.py create_app_role <name>: the role the servers connect as, which cannot rewrite the history."""

import os

from django.core.management.base import BaseCommand, CommandError

from conflictdb import roles


class Command(BaseCommand):
    help = (
        "Create (or update) the database role the servers connect as, and grant it what they need: read "
        "and write the records, insert versions and contexts, nothing that could alter or skip the "
        "history. Runs as the owner (DATABASE_OWNER_URL when set). The password is read from the "
        "environment variable named by --password-env; without it, the role has none (for local trust "
        "authentication, as the embedded server uses)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The role's name, e.g. conflictdb_app.")
        parser.add_argument(
            "--password-env",
            default="APP_DATABASE_PASSWORD",
            help="The environment variable holding the role's password (default APP_DATABASE_PASSWORD).",
        )

    def handle(self, *args, name, password_env, **options):
        roles.connect_as_owner()
        password = os.environ.get(password_env) or None
        try:
            created = roles.create_role(name, password)
            roles.honour_ignore_only_for_owner()
            roles.pin_search_paths()
            roles.grant(name)
        except roles.RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{'created' if created else 'updated'} role {name} "
            f"({'with a password' if password else 'without a password: trust authentication only'}); "
            "privileges granted"
        )
