"""Errors as RFC 9457 problem details (`application/problem+json`), for every status the API returns.

drf-standardized-errors catches every exception raised in an API view (including unexpected ones, which
become a 500 without leaking details) and flattens validation errors to a list naming each parameter or
field; this module only shapes its output as a problem-details object:

    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "...",
     "instance": "/api/v1/events/", "errors": [{"code": "invalid", "detail": "...", "attr": "date_from"}]}
"""

from http import HTTPStatus

from django.http import JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions

PROBLEM_CONTENT_TYPE = "application/problem+json"


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


def server_error(request):
    """500 raised outside an API view (Django's handler500)."""
    return problem_response(request, 500, "Server Error (500)")
