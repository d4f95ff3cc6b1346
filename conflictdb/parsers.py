"""Request bodies: JSON only, and bounded before any of it is decoded.

A record written through the API is a few kilobytes. A body past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413
without being read whole (DRF's own parser reads any length); one nested deeper than MAX_DEPTH is a 400
(Python's decoder would recurse until it fails).
"""

import io

from django.conf import settings
from rest_framework import exceptions, parsers

MAX_DEPTH = 16  # a record, its list of actors or relations, an item, an alias list: 4 levels used


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"


def too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


def depth(value) -> int:
    """How deeply `value` nests lists and objects (a scalar: 0), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise too_large()
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise too_large()
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            data = None
            nested = True
        else:
            nested = depth(data) > MAX_DEPTH
        if nested:
            raise exceptions.ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        return data
