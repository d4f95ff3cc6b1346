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
        # 400: a bad or unknown query parameter (or body); 404: no such record, or a page past the end.
        return [400, 404]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        columns = ", ".join(getattr(self.view, "export_columns", {}))
        if "text/csv" in content:
            content["text/csv"] = {
                "schema": {"type": "string", "description": f"CSV with a header row; columns: {columns}."}
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
