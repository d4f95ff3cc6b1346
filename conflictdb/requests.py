"""The request classes of the servers' entry points (wsgi.py, asgi.py).

Django builds a request before any middleware or handler can answer for it, and reads the query string
while doing so when the Content-Type names a charset (the encoding setter re-parses GET). A query with
more parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS then raised TooManyFieldsSent out of the handler
itself: the WSGI server's own 500, outside every error handler. Here the request is built all the same,
and the query refused where it is first read, as a 400 (conflictdb/errors.py).
"""

from contextlib import suppress

from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest


class ChecksQueryLater:
    def _set_content_type_params(self, meta):
        with suppress(TooManyFieldsSent):  # the encoding is set; GET raises again, read in the handler
            super()._set_content_type_params(meta)


class Request(ChecksQueryLater, WSGIRequest):
    pass


class AsgiRequest(ChecksQueryLater, ASGIRequest):
    pass
