"""gzip for the API's answers (JSON, problem details, the OpenAPI schema, CSV and GeoJSON exports) when the
client accepts it; never for HTML.

Django's GZipMiddleware does the work, streamed exports included: it compresses the rows as they come,
so memory stays flat, and the export's stall bound and slot release (conflictdb/export_limits.py) are
those of the response it wraps. What this module adds:
- **Only the API's media types.** HTML pages (the admin, the browsable API, the docs) carry a CSRF token
  beside text a client can choose (the query string), the conditions of BREACH; the API's JSON and CSV
  carry no secret, so compressing them reveals nothing (docs/security.md).
- **ETags stay strong.** Django weakens a compressed answer's ETag (`W/"..."`), as a strong one must
  differ between codings; but If-Match compares strongly, so a weak ETag sent back could never match and
  every write of a browser (which always accepts gzip) would be a 412. A compressed answer's ETag is
  instead the record's own with `-gzip` inside the quotes, and If-Match accepts either (conflictdb/views.py).
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_MEDIA_TYPES = {
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "application/geo+json",
    "text/csv",
}
CODING_SUFFIX = "-gzip"


def coded_etag(tag: str) -> str:
    """The ETag of the gzip-coded answer whose identity answer's ETag is `tag` ('"123"' -> '"123-gzip"')."""
    return f'{tag[:-1]}{CODING_SUFFIX}"'


class APICompression(GZipMiddleware):
    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type not in COMPRESSED_MEDIA_TYPES:
            return response
        tag = response.get("ETag")
        response = super().process_response(request, response)
        if tag and tag.startswith('"') and response.get("Content-Encoding") == "gzip":
            response["ETag"] = coded_etag(tag)
        return response
