"""The shared plumbing as an installed app: its system checks (conflictdb/checks.py), and the database
roles' privileges and trigger guard given again after every migrate (conflictdb/roles.py)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConflictDBConfig(AppConfig):
    name = "conflictdb"
    verbose_name = "ConflictDB"

    def ready(self):
        from conflictdb import checks, roles  # noqa: F401  (registers the checks)

        # Sent for conflictdb once every migration has run (pgtrigger's have replaced the ignore function).
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="conflictdb.roles.after_migrate")
