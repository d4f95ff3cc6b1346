"""Top-level URLs: the explorer, an about page, the v1 API, its schema and docs, and the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    # What the project is and where to go from here; `/` and the records' pages are the explorer's.
    path("about/", TemplateView.as_view(template_name="conflictdb/home.html"), name="about"),
    path("api/v1/", include("conflictdb.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the security policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("explorer.urls")),
]

handler400 = "conflictdb.errors.bad_request"
handler404 = "conflictdb.errors.not_found"
handler500 = "conflictdb.errors.server_error"
