"""`manage.py api_token`: create, list and revoke the API tokens of users; only digests are stored."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS

from tests import factories
from tests.api_testing import token_client

pytestmark = pytest.mark.django_db


def api_token(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def a_write(key: str) -> int:
    place = factories.place()
    return token_client(key).patch(f"/api/v1/places/{place.slug}/", {"name": "Renamed"}).status_code


@pytest.fixture
def curator():
    return factories.user(username="carla", curator=True)


def test_a_created_token_authenticates_its_user_until_it_expires(curator):
    key = api_token("create", "carla", "--days", "1").strip()

    assert a_write(key) == 200
    stored = AuthToken.objects.get(user=curator)
    assert timedelta(hours=23) < stored.expiry - timezone.now() <= timedelta(days=1)


def test_only_the_digest_of_a_token_is_stored(curator):
    key = api_token("create", "carla").strip()

    stored = AuthToken.objects.get(user=curator)
    assert stored.digest == hash_token(key) != key
    assert key not in [str(value) for value in AuthToken.objects.values_list(named=True).get()]


def test_list_shows_each_tokens_key_prefix_and_user(curator):
    carla = api_token("create", "carla").strip()
    other = api_token("create", factories.user(username="otto").username).strip()

    listed = api_token("list").splitlines()
    assert [line.split()[:2] for line in listed] == [
        [carla[: CONSTANTS.TOKEN_KEY_LENGTH], "carla"],
        [other[: CONSTANTS.TOKEN_KEY_LENGTH], "otto"],
    ]
    assert carla not in "\n".join(listed)
    assert [line.split()[1] for line in api_token("list", "--user", "otto").splitlines()] == ["otto"]


def test_revoking_a_listed_prefix_makes_the_token_a_401(curator):
    key = api_token("create", "carla").strip()
    kept = api_token("create", "carla").strip()
    prefix = api_token("list").split()[0]
    assert key.startswith(prefix)

    assert api_token("revoke", prefix).strip() == "revoked"

    assert a_write(key) == 401
    assert a_write(kept) == 200


@pytest.mark.parametrize(
    "args", [("create", "nobody"), ("revoke", "no-such-prefix")], ids=["unknown user", "unknown token"]
)
def test_unknown_users_and_tokens_are_command_errors(curator, args):
    with pytest.raises(CommandError):
        api_token(*args)
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("days", ["0", "-1", "٣", "3651", "1.5"])
def test_a_token_cannot_be_created_expired_or_for_a_lifetime_out_of_range(curator, days):
    with pytest.raises(CommandError, match="days"):
        api_token("create", "carla", "--days", days)
    assert not AuthToken.objects.filter(user=curator).exists()
