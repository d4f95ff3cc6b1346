"""The shared plumbing as an installed app: its system checks (conflictdb/checks.py), the views of the
past written again (conflictdb/past_tables.py) and the database roles' privileges and trigger guard given
again (conflictdb/roles.py) after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ConflictDBConfig(AppConfig):
    name = "conflictdb"
    verbose_name = "ConflictDB"

    def ready(self):
        from conflictdb import checks, past_tables, roles  # noqa: F401  (registers the checks)

        # The views of the past (conflictdb/past_tables.py): away while migrations change the tables, then
        # written again before the roles' grants, which cover them.
        pre_migrate.connect(past_tables.drop_views, sender=self, dispatch_uid="conflictdb.past_tables.drop")
        post_migrate.connect(
            after_migrate_only(past_tables.create_views),
            sender=self,
            weak=False,
            dispatch_uid="conflictdb.past_tables",
        )
        # Sent for conflictdb once every migration has run (pgtrigger's have replaced the ignore function).
        post_migrate.connect(
            after_migrate_only(roles.after_migrate),
            sender=self,
            weak=False,
            dispatch_uid="conflictdb.roles.after_migrate",
        )


def after_migrate_only(handler):
    """`handler` for the post_migrate that migrate sends, not for the one flush sends (without a plan)
    after emptying the tables: a flush leaves the schema, its views and its grants as they were, and every
    transactional test ends in one."""

    def receiver(plan=None, **kwargs):
        if plan is not None:
            handler(plan=plan, **kwargs)

    return receiver
