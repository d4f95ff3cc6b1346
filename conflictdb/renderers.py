"""The JSON renderer, which writes a page of records that PostgreSQL wrote as JSON without decoding them.

A list whose records come as JSON text (events/api/listing.py, and an aggregate's rows:
conflictdb/aggregation.py) hands them over as `JSONRows`. Compact JSON, what API clients get, splices
the texts into the response as they are, after the other keys; anything else (indented
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
        spliced = (
            [key for key, value in data.items() if isinstance(value, JSONRows)]
            if isinstance(data, dict)
            else []
        )
        if not spliced:
            return super().render(data, accepted_media_type, renderer_context)
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or not self.compact:
            decoded = {key: value.decoded() if key in spliced else value for key, value in data.items()}
            return super().render(decoded, accepted_media_type, renderer_context)
        # The other keys, then each list of rows, in order: '{"count":...,"previous":null}' opened up
        # before its "}".
        head = super().render({key: value for key, value in data.items() if key not in spliced})
        parts = [head[:-1]] if len(head) > 2 else [b"{"]
        for number, key in enumerate(spliced):
            body = ",".join(data[key])
            for character, escaped in JS_UNSAFE.items():
                body = body.replace(character, escaped)
            separator = b"," if len(head) > 2 or number else b""
            parts.append(separator + json.dumps(key).encode() + b":[" + body.encode() + b"]")
        return b"".join([*parts, b"}"])
