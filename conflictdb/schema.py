"""The OpenAPI schema: drf-spectacular's, plus the problem-details error responses of each operation."""

from drf_spectacular import openapi
from rest_framework import serializers


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
        (or page); 409: still referenced, or a conflicting write; 412: stale If-Match; 429: rate limit;
        503: the database is unavailable or too slow."""
        statuses = {
            "GET": [400, 401, 404],
            "POST": [400, 401, 403, 409],
            "PUT": [400, 401, 403, 404, 409, 412],
            "PATCH": [400, 401, 403, 404, 409, 412],
            "DELETE": [400, 401, 403, 404, 409, 412],
        }[self.method]
        return [*statuses, 429, 503]

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
        for status in self.error_statuses():
            responses[str(status)] = self._get_response_for_code(
                ProblemSerializer, str(status), media_types=["application/problem+json"]
            )
        return responses
