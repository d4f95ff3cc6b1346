"""manage.py migrate, as the owner of the tables (DATABASE_OWNER_URL) when the server's role is another."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from conflictdb import roles


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        roles.connect_as_owner(options["database"])
        return super().handle(*args, **options)
