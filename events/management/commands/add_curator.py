"""manage.py add_curator: give a person a login to the admin as a member of the Curators group."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.curators import ensure_curators_group


class Command(BaseCommand):
    help = "Create or update a staff user in the Curators group (password prompted, or read from stdin)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        if sys.stdin.isatty():
            password = getpass.getpass(f"Password for {username}: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(ensure_curators_group(Group, Permission))
        self.stdout.write(f"{username} is a curator: log in at /admin/")
