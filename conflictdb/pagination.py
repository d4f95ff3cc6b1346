"""Pagination shared by every list endpoint."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def positive_integer(request, name: str) -> int | None:
    """The query parameter `name` as a positive integer, None when absent; a 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: [f"Expected a positive integer, got {raw!r}."]})
    return int(raw)


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers with a client-chosen page size, capped so no request gets the whole table.

    A malformed `page` or `page_size` is a 400 naming it; a page past the end is a 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        requested = positive_integer(request, self.page_size_query_param)
        return self.page_size if requested is None else min(requested, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        positive_integer(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)
