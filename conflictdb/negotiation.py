"""Content negotiation in which `?format=` decides.

A client that names a format in the URL has chosen it: GDAL (`ogrinfo`, `ogr2ogr`, and so QGIS and R's
`sf`) fetches `?format=geojson` with `Accept: text/plain, application/json`, and DRF's own negotiation
answered 406 because neither media type is GeoJSON's. Here the Accept header is still read first (so that
`Accept: application/json; indent=2` with `format=json` keeps its indent), and when it names nothing the
format offers, the format's own media type is the answer. A 406 remains for a request without `format`
whose Accept header names nothing the endpoint serves; an unknown format stays DRF's 404, which the
exports turn into a 400 naming `format` (conflictdb/exports.py).
"""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class FormatDecides(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            chosen = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            if not chosen:
                raise
            renderer = self.filter_renderers(renderers, chosen)[0]
            return renderer, renderer.media_type
