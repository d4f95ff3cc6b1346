"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from conflictdb import serving
from conflictdb.requests import Request

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
serving.mark_as_server()  # its connections get the servers' statement timeout
application = get_wsgi_application()
application.request_class = Request  # a query of too many parameters is a 400 (conflictdb/requests.py)
