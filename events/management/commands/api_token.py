"""manage.py api_token: create, list and revoke API tokens (django-rest-knox; only digests are stored)."""

import argparse
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken
from knox.settings import CONSTANTS

MAX_DAYS = 3650


def lifetime_days(raw: str) -> int:
    """A token's lifetime: whole days from 1 to MAX_DAYS (0 or fewer would make it expired already)."""
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from 1 to {MAX_DAYS}, not {raw!r}")
    return int(raw)


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. A token is shown once, when created; only its digest is kept."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument(
            "--days", type=lifetime_days, help="Days until it expires (default: REST_KNOX TOKEN_TTL)."
        )
        listing = actions.add_parser("list", help="List tokens (key prefix, user, created, expiry).")
        listing.add_argument("--user", dest="username")
        revoke = actions.add_parser("revoke", help="Revoke the token whose key starts the given prefix.")
        revoke.add_argument("key")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, *, username, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        kwargs = {} if days is None else {"expiry": timedelta(days=days)}
        token, key = AuthToken.objects.create(user=user, **kwargs)
        expiry = token.expiry.isoformat() if token.expiry else "never"
        self.stdout.write(key)
        self.stderr.write(f"expires {expiry}; send it as 'Authorization: Token <key>'; it is not shown again")

    def list(self, *, username=None, **options):
        tokens = AuthToken.objects.select_related("user").order_by("created")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            expiry = token.expiry.isoformat() if token.expiry else "never"
            created = token.created.isoformat()
            self.stdout.write(
                f"{token.token_key}  {token.user.username}  created {created}  expires {expiry}"
            )

    def revoke(self, *, key, **options):
        # The listed key prefix, or the whole token: both start with the stored prefix.
        deleted, _ = AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]).delete()
        if not deleted:
            raise CommandError("No such token; give the key shown by `api_token list`.")
        self.stdout.write("revoked")
