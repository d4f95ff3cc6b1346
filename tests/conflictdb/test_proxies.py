"""Behind trusted reverse proxies (TRUSTED_PROXIES), links name the host and scheme the client used, from
X-Forwarded-Host and X-Forwarded-Proto; without them, those headers are a client's word and ignored."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests import factories

PRINT_PROXY_SETTINGS = (
    "import json, conflictdb.settings as s; print(json.dumps({'host': s.USE_X_FORWARDED_HOST, "
    "'proto': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), 'proxies': s.REST_FRAMEWORK['NUM_PROXIES']}))"
)
FORWARDED = {"HTTP_X_FORWARDED_HOST": "conflictdb.example.org", "HTTP_X_FORWARDED_PROTO": "https"}


def proxy_settings(**environment) -> dict:
    """The proxy settings of the settings module imported afresh with `environment`."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXIES", "DJANGO_SECURE_PROXY_SSL_HEADER")
    }
    child = subprocess.run(
        [sys.executable, "-c", PRINT_PROXY_SETTINGS],
        env=env | environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def test_trusted_proxies_are_believed_for_the_host_and_the_scheme():
    assert proxy_settings(TRUSTED_PROXIES="1") == {
        "host": True,
        "proto": ["HTTP_X_FORWARDED_PROTO", "https"],
        "proxies": 1,
    }


def test_without_trusted_proxies_no_forwarded_header_is_believed():
    assert proxy_settings() == {"host": False, "proto": None, "proxies": 0}


def test_the_operator_may_name_another_scheme_header():
    found = proxy_settings(TRUSTED_PROXIES="2", DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_SSL,on")
    assert found == {"host": True, "proto": ["HTTP_X_FORWARDED_SSL", "on"], "proxies": 2}


@pytest.fixture
def two_pages():
    return [factories.event() for _ in range(3)]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_links_use_the_forwarded_host_and_scheme(api, settings, two_pages):
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["conflictdb.example.org"]

    page = json.loads(api.get("/api/v1/events/?page_size=2", **FORWARDED).content)
    assert page["next"].startswith("https://conflictdb.example.org/api/v1/events/?")
    following = json.loads(
        api.get(page["next"].removeprefix("https://conflictdb.example.org"), **FORWARDED).content
    )
    assert following["previous"].startswith("https://conflictdb.example.org/api/v1/events/")
    root = json.loads(api.get("/api/v1/", **FORWARDED).content)
    assert root["events"] == "https://conflictdb.example.org/api/v1/events/"


@pytest.mark.django_db
def test_a_forwarded_host_not_allowed_is_a_400(api, settings, two_pages):
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["conflictdb.example.org"]

    response = api.get("/api/v1/events/", HTTP_X_FORWARDED_HOST="elsewhere.example.com")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_without_a_trusted_proxy_forwarded_headers_change_no_link(api, two_pages):
    assert not django_settings.USE_X_FORWARDED_HOST

    page = json.loads(api.get("/api/v1/events/?page_size=2", **FORWARDED).content)
    assert page["next"].startswith("http://testserver/api/v1/events/?")
