"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from conflictdb import serving
from conflictdb.requests import AsgiRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
serving.mark_as_server()  # its connections get the servers' statement timeout
application = get_asgi_application()
application.request_class = AsgiRequest  # a query of too many parameters is a 400 (conflictdb/requests.py)
