"""Pagination shared by every list endpoint."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers with a client-chosen page size, capped so no request gets the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
