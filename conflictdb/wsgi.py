"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
# A server's queries may not run longer than this (a 503 then); management commands have no limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")
application = get_wsgi_application()
