"""The sources collection."""

from sources.models import Source
from tests import factories
from tests.api_testing import CollectionTests


class TestSources(CollectionTests):
    collection = "sources"
    model = Source
    factory = staticmethod(factories.source)
    detail_field = "title"
    searchable = {"title": "Russia steps up air strikes in Syria"}
    search_term = "steps up"
    list_queries = 1  # the page, the whole result: its own count (with reported_in joined)
    detail_queries = 1
    detail_of = {"reported_in__isnull": False}
