"""The `bbox` filter: records whose coordinates lie in a bounding box."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class BBoxField(forms.Field):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84 degrees."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        parts = value.split(",")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or len(parts) != 4:
            raise forms.ValidationError("Expected four numbers: min_lon,min_lat,max_lon,max_lat.")
        min_lon, min_lat, max_lon, max_lat = numbers
        if not (-180 <= min_lon <= max_lon <= 180):
            raise forms.ValidationError("Longitudes must satisfy -180 <= min_lon <= max_lon <= 180.")
        if not (-90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError("Latitudes must satisfy -90 <= min_lat <= max_lat <= 90.")
        return numbers


@extend_schema_field(OpenApiTypes.STR)
class BBoxFilter(filters.Filter):
    """Records whose coordinates lie in a bounding box.

    `field_name` is the path to the place ("place" for events), or "" to filter places themselves.
    """

    field_class = BBoxField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Bounding box min_lon,min_lat,max_lon,max_lat in WGS84 degrees.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        min_lon, min_lat, max_lon, max_lat = value
        prefix = f"{self.field_name}__" if self.field_name else ""
        return qs.filter(
            **{
                f"{prefix}longitude__gte": min_lon,
                f"{prefix}longitude__lte": max_lon,
                f"{prefix}latitude__gte": min_lat,
                f"{prefix}latitude__lte": max_lat,
            }
        )
