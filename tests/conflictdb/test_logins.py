"""Admin logins are throttled by django-axes: failures for one user name from one address lock that pair
out for a while, and a forged X-Forwarded-For (with no trusted proxy) does not reset the count."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def log_in(client, password: str, **headers):
    return client.post(LOGIN, {"username": "dana", "password": password}, **headers)


@pytest.fixture
def staff():
    return User.objects.create_user("dana", password="the right pass phrase", is_staff=True)


def test_a_good_password_logs_in(client, staff):
    assert log_in(client, "the right pass phrase").status_code == 302


def test_after_the_failure_limit_even_the_right_password_is_refused(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error
    assert log_in(client, "wrong").status_code == 429  # the failure that reaches the limit
    assert log_in(client, "the right pass phrase").status_code == 429


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, staff):
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = log_in(client, "the right pass phrase", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
