"""The JSON renderer, which writes a page of records that PostgreSQL wrote as JSON without decoding them.

A list whose records come as JSON text (events/api/listing.py) hands them over as `JSONRows`. Compact
JSON, what API clients get, splices the texts into the response as they are; anything else (indented
JSON, the browsable API) reads them decoded. Decoding them and encoding them again made a list request
cost 1.4 to 1.7 times the Python CPU (bench/baselines/json-records.md). The splice relies on how DRF's
renderer writes the page's other keys (tests/conflictdb/test_library_versions.py).
"""

import json

from rest_framework import renderers

# Characters that JSON allows in strings but JavaScript does not; DRF's renderer escapes them, so do we.
JS_UNSAFE = {"\u2028": "\\u2028", "\u2029": "\\u2029"}


class JSONRows(list):
    """A page of records, each a JSON object as text."""

    def decoded(self) -> list:
        return [json.loads(row) for row in self]


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, JSONRows):
            return super().render(data, accepted_media_type, renderer_context)
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or not self.compact:
            return super().render({**data, "results": rows.decoded()}, accepted_media_type, renderer_context)
        # The other keys, then the results last: '{"count":...,"previous":null}' opened up before its "}".
        head = super().render({key: value for key, value in data.items() if key != "results"})
        body = ",".join(rows)
        for character, escaped in JS_UNSAFE.items():
            body = body.replace(character, escaped)
        separator = b"," if len(head) > 2 else b""
        return b"".join([head[:-1], separator, b'"results":[', body.encode(), b"]}"])
