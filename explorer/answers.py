"""The API's own answers, asked in-process, for the explorer's pages: the same filters, the same checks
and 400s, the same pages and cursors as a client of /api/v1/ gets, without a second description of them.

A page asks the events collection's `list` and `aggregate` actions with a copy of its own request whose
query is the API's; what the API answers (its data and status) is what the page shows.
"""

from dataclasses import dataclass

from django.http import HttpRequest, QueryDict

from conflictdb.renderers import JSONRows
from events.api.views import EventViewSet

# As the router builds them: the action's own settings (the aggregate's filters and renderers) included.
LIST = EventViewSet.as_view({"get": "list"}, basename="event", detail=False)
AGGREGATE = EventViewSet.as_view(
    {"get": "aggregate"}, basename="event", detail=False, **EventViewSet.aggregate.kwargs
)


@dataclass
class Answer:
    status: int
    data: dict

    @property
    def ok(self) -> bool:
        return self.status == 200


def asked(request: HttpRequest, query: QueryDict) -> HttpRequest:
    """A GET of the page's own path with `query`, as the page's reader (their session, their address)."""
    inner = HttpRequest()
    inner.method = "GET"
    inner.path = inner.path_info = request.path
    inner.META = {**request.META, "QUERY_STRING": query.urlencode(), "HTTP_ACCEPT": "application/json"}
    inner.GET = query
    inner.COOKIES = request.COOKIES
    for name in ("user", "session", "resolver_match"):
        if hasattr(request, name):
            setattr(inner, name, getattr(request, name))
    return inner


def answer(view, request: HttpRequest, query: QueryDict) -> Answer:
    """The API's answer to `query` through `view`, not rendered: its status and data."""
    response = view(asked(request, query))
    data = response.data if hasattr(response, "data") else {}
    if isinstance(data, dict):  # rows written as JSON by PostgreSQL (a list's records, an aggregate's)
        data = {key: value.decoded() if isinstance(value, JSONRows) else value for key, value in data.items()}
    return Answer(response.status_code, data)


def events_page(request: HttpRequest, query: QueryDict) -> Answer:
    """A page of the events matching `query`, with its count and cursor links, as the API pages them."""
    return answer(LIST, request, query)


def events_aggregate(request: HttpRequest, query: QueryDict, group_by: str) -> Answer:
    """The aggregate of the events matching `query` by `group_by` (docs/api.md "Aggregates")."""
    query = query.copy()
    for name in ("cursor", "page", "page_size", "ordering"):
        query.pop(name, None)
    query["group_by"] = group_by
    return answer(AGGREGATE, request, query)
