"""The explorer's pages: `/` and a page per record, addressed by slug as the API addresses them."""

from django.urls import path

from explorer import views

SLUG = "<str:slug>"
urlpatterns = [
    path("", views.home, name="home"),
    path(f"events/{SLUG}/", views.event_page, name="explorer-event"),
    path(f"actors/{SLUG}/", views.actor_page, name="explorer-actor"),
    path(f"places/{SLUG}/", views.place_page, name="explorer-place"),
    path(f"sources/{SLUG}/", views.source_page, name="explorer-source"),
    path(f"claims/{SLUG}/", views.claim_page, name="explorer-claim"),
]
