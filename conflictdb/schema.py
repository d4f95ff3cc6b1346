"""The OpenAPI schema: drf-spectacular's, plus what a generated client needs to be right: the
problem-details error responses of each operation, the ETag, If-Match, If-None-Match and Cache-Control
headers and the 304 of a read, reads open to anyone,
and each query parameter described from the filter that reads it (conflictdb/parameter_schema.py)."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from conflictdb import parameter_schema  # noqa: F401  registers the filters' parameter extension

# The actions of a collection that answer with one record, and the ones that may send If-Match.
ONE_RECORD = {"retrieve", "create", "update", "partial_update"}
CONDITIONAL = {"update", "partial_update", "destroy"}
# The reads that take If-None-Match and answer 304 (conflictdb/response_cache.py).
REVALIDATED = {"list", "retrieve"}
# The actions of a collection that read the past too (conflictdb/points.py).
READS = {"list", "retrieve", "history", "aggregate"}

PAST_PARAMETERS = [
    OpenApiParameter(
        "release",
        OpenApiTypes.STR,
        description="Read the records as they were in this release (its name): a record created after it "
        "is not there (a 404), one deleted after it is. Not with `as_of`.",
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATETIME,
        description="Read the records as they were at this ISO 8601 instant (UTC when it names no zone), "
        "not in the future; before the first record, nothing. Not with `release`.",
    ),
    OpenApiParameter(
        "Data-State",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description="With `release` or `as_of`: the point shown, `release=<name>; as_of=<instant>` or "
        "`as_of=<instant>`.",
    ),
]


class ProblemErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text="The parameter or field at fault, if any.")


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = ProblemErrorSerializer(many=True)


class AutoSchema(openapi.AutoSchema):
    """Documents the errors each operation can answer with, alongside its success response."""

    def error_statuses(self) -> list[int]:
        """400: a bad or unknown parameter or body; 401: a bad token; 403: not allowed; 404: no such record
        (or page); 406: an Accept header the operation cannot answer; 409: still referenced, or a
        conflicting write; 412: stale If-Match; 413: a body too large; 415: a body that is not JSON;
        429: rate limit; 503: the database is unavailable or too slow."""
        statuses = {
            "GET": [400, 401, 404, 406],
            "POST": [400, 401, 403, 406, 409, 413, 415],
            "PUT": [400, 401, 403, 404, 406, 409, 412, 413, 415],
            "PATCH": [400, 401, 403, 404, 406, 409, 412, 413, 415],
            "DELETE": [400, 401, 403, 404, 406, 409, 412],
        }[self.method]
        return [*statuses, 429, 503]

    def get_auth(self):
        # Reads are open to anyone (conflictdb/permissions.py), which drf-spectacular cannot tell from
        # our permission class: without `{}`, generated clients demand a token for every read.
        auths = super().get_auth()
        if self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        action = getattr(self.view, "action", None)
        if not hasattr(self.view, "as_read"):  # not a collection
            return parameters
        if action in CONDITIONAL:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The record's ETag as last read: if the record has changed since, the "
                    "write is refused with a 412. Without it (or with `*`) the write goes ahead.",
                )
            )
        if action in REVALIDATED:
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An ETag this read answered with: while nothing has changed since, the "
                    "answer is a 304 with no body.",
                ),
                OpenApiParameter(
                    "Cache-Control",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description="`private` for a client that authenticated; for anyone else the server's "
                    "setting (by default `public, max-age=0, must-revalidate`).",
                ),
            ]
        if action == "list":
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description="A weak tag of the page as of the data's last change, for If-None-Match.",
                )
            )
        if action in READS:
            parameters += PAST_PARAMETERS
        if action in ONE_RECORD:
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200, 201],
                    description="The record's version, to send back as If-Match with a write.",
                )
            )
        return parameters

    def _get_pagination_parameters(self):
        # A record's history pages as a list does, though drf-spectacular sees an action on one record.
        if getattr(self.view, "action", None) == "history":
            return self.view.paginator.get_schema_operation_parameters(self.view)
        return super()._get_pagination_parameters()

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = (
                "The response's format, instead of the Accept header; `csv` and `geojson` are exports "
                "of the whole filtered list."
            )
        return parameters

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        described = {"slug": "The record's slug.", "name": "The release's name.", "file": "The file's name."}
        for parameter in parameters:
            if parameter["name"] in described:
                parameter["description"] = described[parameter["name"]]
        return parameters

    def get_request_serializer(self):
        write_serializer = getattr(self.view, "write_serializer_class", None)
        if self.method in ("POST", "PUT", "PATCH") and write_serializer:
            return write_serializer()
        return super().get_request_serializer()

    def get_response_serializers(self):
        # Writes answer with the record as it is read.
        if self.method in ("POST", "PUT", "PATCH") and hasattr(self.view, "write_serializer_class"):
            read = getattr(self.view, "detail_serializer_class", None) or self.view.serializer_class
            return read()
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        columns = ", ".join(getattr(self.view, "export_columns", {}))
        layouts = "".join(
            f" With format={name}: {', '.join(layout.rows)}."
            for name, layout in getattr(self.view, "csv_layouts", {}).items()
        )
        if "text/csv" in content:
            content["text/csv"] = {
                "schema": {
                    "type": "string",
                    "description": f"CSV with a header row; columns: {columns}.{layouts}",
                }
            }
        if "application/geo+json" in content:
            content["application/geo+json"] = {
                "schema": {
                    "type": "object",
                    "description": "A GeoJSON FeatureCollection; each feature's properties are the CSV "
                    "columns but latitude and longitude, which form its Point geometry (null when unknown).",
                }
            }
        revalidated = getattr(self.view, "action", None) in REVALIDATED and hasattr(self.view, "as_read")
        if self.method == "GET" and revalidated:
            responses["304"] = {"description": "Not modified since the If-None-Match tag: no body."}
        for status in self.error_statuses():
            responses[str(status)] = self._get_response_for_code(
                ProblemSerializer, str(status), media_types=["application/problem+json"]
            )
        return responses
