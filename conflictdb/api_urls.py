"""The v1 API router: one place where every collection is registered."""

from django.urls import path
from rest_framework import routers
from rest_framework.reverse import reverse

from events.api.views import ActorViewSet, ClaimViewSet, EventViewSet, PlaceViewSet
from releases.api.views import ChangesView, ReleaseFileView, ReleaseViewSet
from sources.api.views import SourceViewSet

# Named URLs the root lists after the collections: a client that starts at /api/v1/ finds the feed of
# changes, the machine-readable contract and its readable form without knowing their paths.
BESIDE_THE_COLLECTIONS = ["changes", "schema", "docs"]


class APIRootView(routers.APIRootView):
    """The API's entry point: a link to each collection, the changes feed, the schema and the docs."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name in BESIDE_THE_COLLECTIONS:  # none of them has a `.json` suffix route
            response.data[name] = reverse(name, request=request)
        return response


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
router.register("events", EventViewSet)
router.register("actors", ActorViewSet)
router.register("places", PlaceViewSet)
router.register("claims", ClaimViewSet)
router.register("sources", SourceViewSet)
router.register("releases", ReleaseViewSet)

urlpatterns = [
    path("changes/", ChangesView.as_view(), name="changes"),  # the feed, and the changes between releases
    path("releases/<str:name>/files/<str:file>", ReleaseFileView.as_view(), name="release-file"),
    *router.urls,
]
