"""The v1 API router: one place where every collection is registered."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from conflictdb.views import ChangesView
from events.api.views import ActorViewSet, ClaimViewSet, EventViewSet, PlaceViewSet
from sources.api.views import SourceViewSet

router = DefaultRouter()
router.register("events", EventViewSet)
router.register("actors", ActorViewSet)
router.register("places", PlaceViewSet)
router.register("claims", ClaimViewSet)
router.register("sources", SourceViewSet)

urlpatterns = [path("changes/", ChangesView.as_view(), name="changes"), *router.urls]
