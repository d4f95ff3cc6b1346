"""The v1 API router: one place where every collection is registered."""

from rest_framework.routers import DefaultRouter

from events.api.views import ActorViewSet, ClaimViewSet, EventViewSet, PlaceViewSet
from sources.api.views import SourceViewSet

router = DefaultRouter()
router.register("events", EventViewSet)
router.register("actors", ActorViewSet)
router.register("places", PlaceViewSet)
router.register("claims", ClaimViewSet)
router.register("sources", SourceViewSet)

urlpatterns = router.urls
