"""Who may do what through the API: everyone reads; writing a record takes the model's permission."""

from rest_framework import permissions


class ReadOrModelPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, answering reads without building the view's queryset
    (DRF builds it only to learn its model, on every request)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or super().has_permission(request, view)
