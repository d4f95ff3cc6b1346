"""The base of every collection's API view, and the feed of changes across collections."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from conflictdb.changes import (
    ChangeSerializer,
    VersionSerializer,
    changes_after,
    parse_position,
    record_versions,
)
from conflictdb.exports import ExportMixin
from conflictdb.pagination import positive_integer

# Parameters each action understands besides its filters; anything else is a 400.
ACTION_PARAMETERS = {"retrieve": {"format"}, "history": {"format", "page", "page_size"}}


def reject_bad_parameters(request, allowed: set[str] | None):
    """400 for NUL characters (PostgreSQL text cannot hold them) and, where `allowed` is given, for
    parameters not in it."""
    errors = {
        name: ["Must not contain NUL characters."]
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    }
    if allowed is not None:
        errors |= {name: ["Unknown query parameter."] for name in set(request.query_params) - allowed}
    if errors:
        raise ValidationError(dict(sorted(errors.items())))


def paginated(name: str, item):
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


class CollectionViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """A collection of records addressed by slug: a filtered, paginated list (or export), details, and
    each record's history.

    Lists check their query parameters in the filter backend; other actions accept only their own
    (ACTION_PARAMETERS), so that no parameter is ever silently ignored.
    """

    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reject_bad_parameters(request, ACTION_PARAMETERS.get(self.action))

    @extend_schema(
        summary="The record's versions, oldest first, with what changed in each",
        responses=paginated("PaginatedVersionList", VersionSerializer(many=True)),
        filters=False,
    )
    @action(detail=True, filter_backends=[])
    def history(self, request, slug=None):
        versions = record_versions(self.get_object())
        return self.get_paginated_response(self.paginate_queryset(versions))


class ChangesView(APIView):
    """Every create, update and delete since a moment, oldest first, for keeping a copy in sync.

    Follow `next` until it is null; it carries the position after the last change returned. A delete is
    a tombstone carrying the record's slug. A change to an event's actors or a claim's relations is
    reported as an update of that event or claim.
    """

    permission_classes = [permissions.AllowAny]
    page_size = 100

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, required=True, description="ISO 8601, with a zone."
            ),
            OpenApiParameter("after", OpenApiTypes.STR, description="Position from a `next` link."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="At most 1000 (default 100)."),
        ],
        responses=inline_serializer(
            "ChangeFeed",
            {"next": serializers.URLField(allow_null=True), "results": ChangeSerializer(many=True)},
        ),
    )
    def get(self, request):
        reject_bad_parameters(request, {"since", "after", "page_size", "format"})
        if "since" not in request.query_params:
            raise ValidationError({"since": ["This parameter is required."]})
        position = parse_position(request.query_params["since"], "since")
        if "after" in request.query_params:
            position = parse_position(request.query_params["after"], "after")
        size = min(positive_integer(request, "page_size") or self.page_size, 1000)
        changes = changes_after(position, size + 1)
        next_link = None
        if len(changes) > size:
            changes = changes[:size]
            query = request.query_params.copy()
            query["after"] = changes[-1]["position"]
            next_link = request.build_absolute_uri(f"{reverse('changes')}?{query.urlencode()}")
        for change in changes:
            del change["position"]
        return Response({"next": next_link, "results": changes})
