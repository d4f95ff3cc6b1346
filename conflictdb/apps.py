"""The shared plumbing as an installed app, so that its system checks run (conflictdb/checks.py)."""

from django.apps import AppConfig


class ConflictDBConfig(AppConfig):
    name = "conflictdb"
    verbose_name = "ConflictDB"

    def ready(self):
        from conflictdb import checks  # noqa: F401  (registers the checks)
