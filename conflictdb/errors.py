"""Errors as RFC 9457 problem details (`application/problem+json`), for every status the API returns.

drf-standardized-errors catches every exception raised in an API view (including unexpected ones, which
become a 500 without leaking details) and flattens validation errors to a list naming each parameter or
field; this module only shapes its output as a problem-details object:

    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "...",
     "instance": "/api/v1/events/", "errors": [{"code": "invalid", "detail": "...", "attr": "date_from"}]}
"""

import re
import sys
from http import HTTPStatus

from django.apps import apps
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from psycopg.errors import UniqueViolation
from rest_framework import exceptions

from conflictdb.parsers import too_large

PROBLEM_CONTENT_TYPE = "application/problem+json"
RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(exceptions.APIException):
    """The database is down, restarting, overloaded, or a query ran past the statement timeout."""

    status_code = 503
    default_detail = "The database is unavailable or too slow right now; retry shortly."
    default_code = "service_unavailable"
    wait = RETRY_AFTER_SECONDS  # becomes the Retry-After header


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record changed since you read it (If-Match does not match its ETag); read it again."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


def database_unavailable(exc: BaseException) -> bool:
    """Errors of the database's availability, not of the request: connection lost, timeout, too busy."""
    return isinstance(exc, OperationalError | InterfaceError)


def still_referenced(exc: ProtectedError | RestrictedError) -> Conflict:
    """409 naming the records that still refer to the one being deleted."""
    referencing = sorted(
        exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects, key=str
    )
    names = ", ".join(f"{obj._meta.verbose_name} {obj}" for obj in referencing[:10])
    more = f" and {len(referencing) - 10} more" if len(referencing) > 10 else ""
    return Conflict(f"Still referenced by {names}{more}; change or delete those first.")


TAKEN_SLUG = re.compile(r"^Key \(slug\)=\((?P<slug>.*)\) already exists\.$", re.DOTALL)
# A slug some record of the kind has or had (conflictdb/slugs.py): the kind is the record's table.
PUBLISHED_SLUG = re.compile(
    r"^Key \(kind, slug\)=\((?P<table>\w+), (?P<slug>.*)\) already exists\.$", re.DOTALL
)


def integrity_conflict(exc: IntegrityError) -> Conflict:
    """409 for a write the database refused as conflicting: a slug already taken is named; nothing of
    the database's own text (constraint names, SQL) reaches the client."""
    cause = exc.__cause__
    if isinstance(cause, UniqueViolation):
        tables = {model._meta.db_table: model._meta.verbose_name for model in apps.get_models()}
        taken = TAKEN_SLUG.match(cause.diag.message_detail or "")
        if taken:
            kind = tables.get(cause.diag.table_name, "record")
            return Conflict(f"A {kind} with the slug {taken['slug']!r} already exists; choose another slug.")
        published = PUBLISHED_SLUG.match(cause.diag.message_detail or "")
        if published:
            kind = tables.get(published["table"], "record")
            return Conflict(
                f"The slug {published['slug']!r} is or was another {kind}'s, and links to it lead there;"
                " choose another slug."
            )
    if getattr(cause, "diag", None) is not None and cause.diag.constraint_name == "previous_slugs_kept":
        return Conflict("A previous slug is never taken away: links to it lead to the record.")
    return Conflict("The change conflicts with a change made at the same time; read the records again.")


def error_attr(name: str) -> str:
    """How a 400 names the parameter or field `name`: one without a name (`?=x`, a key "") all the same."""
    return name or "(no name)"


def problem(status: int, detail: str, *, instance: str = "", errors: list | None = None) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body["errors"] = errors or []
    return body


class ProblemFormatter(ExceptionFormatter):
    def format_error_response(self, error_response):
        errors = [{"code": e.code, "detail": e.detail, "attr": e.attr} for e in error_response.errors]
        if isinstance(self.exc, exceptions.ValidationError):
            named = sorted({e["attr"] for e in errors if e["attr"]})
            detail = f"Invalid input: {', '.join(named)}." if named else "Invalid input."
        else:
            detail = errors[0]["detail"] if errors else HTTPStatus(self.exc.status_code).phrase
        request = self.context.get("request")
        return problem(self.exc.status_code, detail, instance=request.path if request else "", errors=errors)


class ProblemHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc):
        if database_unavailable(exc):
            return ServiceUnavailable()
        if isinstance(exc, ProtectedError | RestrictedError):
            return still_referenced(exc)
        if isinstance(exc, TooManyFieldsSent):
            return exceptions.ParseError(
                f"Too many query parameters: at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}."
            )
        if isinstance(exc, RequestDataTooBig):
            return too_large()
        if isinstance(exc, IntegrityError):  # a unique constraint, or another request won a race
            return integrity_conflict(exc)
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        response = super().get_response(exc, data)
        request = self.context.get("request")
        renderer = getattr(request, "accepted_renderer", None)
        # The browsable API keeps rendering HTML; every other client gets the problem media type.
        if renderer is None or renderer.format != "api":
            response.content_type = PROBLEM_CONTENT_TYPE
        return response


def problem_response(request, status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status, detail, instance=request.path), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def not_found(request, exception=None):
    """404 for URLs no view matches (Django's handler404), in the same format as the API's errors."""
    return problem_response(request, 404, "No such resource.")


def bad_request(request, exception=None):
    """A request Django itself refuses before any view (too many parameters, a host not allowed)."""
    return problem_response(request, 400, str(exception) if exception else "Bad request.")


def server_error(request):
    """A failure outside an API view (Django's handler500, called while the exception is handled):
    a 503 with Retry-After when the database is unavailable, a 500 otherwise."""
    if database_unavailable(sys.exc_info()[1]):
        response = problem_response(request, 503, ServiceUnavailable.default_detail)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return problem_response(request, 500, "Server Error (500)")
