"""API views of releases: the list, one release, its files; and the changes between two releases."""

import re
from datetime import datetime

from django.http import Http404, HttpResponseNotModified, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import conflictdb.views
from conflictdb import parameters
from conflictdb.between import changes_between
from conflictdb.pagination import page_size
from conflictdb.past import Point, versions_of
from conflictdb.response_cache import conditional_read
from conflictdb.views import reject_bad_parameters
from releases.api.serializers import CHANGES_BETWEEN, ReleaseSerializer
from releases.collections import collections
from releases.models import NAME_PATTERN, Release, ReleaseFile, ReleaseFileChunk

# A file never changes once written: any cache may keep it for a year, without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
FILE_NAME = re.compile(r"[a-z]+\.[a-z]+")
PARAMETERS = {"list": {"format", "page", "page_size", "cursor"}, "retrieve": {"format"}}


class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Named releases of the curated dataset, newest first: metadata, counts, files and how to cite each."""

    queryset = Release.objects.prefetch_related("files__release")
    serializer_class = ReleaseSerializer
    lookup_field = "name"
    lookup_value_regex = NAME_PATTERN
    filter_backends = []
    permission_classes = [permissions.AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reject_bad_parameters(request, PARAMETERS.get(self.action))

    @conditional_read
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @conditional_read
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def chunks(file: ReleaseFile):
    """The file's bytes, a chunk (one short statement) at a time."""
    number, sent = 0, 0
    while sent < file.size:
        data = (
            ReleaseFileChunk.objects.filter(file=file, number=number).values_list("data", flat=True).first()
        )
        if data is None:
            raise RuntimeError(f"{file} lacks chunk {number}")
        sent += len(data)
        number += 1
        yield bytes(data)


class ReleaseFileView(APIView):
    """One file of a release, streamed; cached anywhere for a year (it never changes), its ETag the sha256."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="A file of a release",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 304: None},
    )
    def get(self, request, name, file):
        reject_bad_parameters(request, set())
        found = None
        if re.fullmatch(NAME_PATTERN, name) and FILE_NAME.fullmatch(file):
            found = (
                ReleaseFile.objects.select_related("release").filter(release__name=name, name=file).first()
            )
        if found is None:
            raise Http404(f"No file {file!r} in a release {name!r}.")
        tag = f'"{found.sha256}"'
        headers = {"ETag": tag, "Cache-Control": IMMUTABLE}
        if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = StreamingHttpResponse(chunks(found), content_type=found.media_type)
            headers |= {
                "Content-Length": str(found.size),
                "Content-Disposition": f'attachment; filename="conflictdb-{name}-{file}"',
            }
        for header, value in headers.items():
            response[header] = value
        return response


BETWEEN = {"since_release", "until_release", "until"}


def release_point(params, name: str) -> tuple[Point, datetime]:
    release = (
        Release.objects.filter(name=params[name]).first()
        if re.fullmatch(NAME_PATTERN, params[name])
        else None
    )
    if release is None:
        raise ValidationError({name: [f"No release named {params[name]!r}."]})
    return Point(snapshot=release.snapshot), release.created_at


def moment_point(params, name: str) -> tuple[Point, datetime]:
    try:
        moment = parameters.utc_datetime(params[name])
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None
    return Point(moment=moment), moment


def between_position(value: str) -> tuple[str, int]:
    tables = {versions_of(model)._meta.db_table for _name, model, _keys in collections()}
    table, _, record_id = value.partition(",")
    try:
        if table not in tables:
            raise ValueError(table)
        return table, parameters.integer(record_id)
    except ValueError:
        raise ValidationError(
            {"after": ["Not a position of these changes; use the `next` link as given."]}
        ) from None


class ChangesView(conflictdb.views.ChangesView):
    """Every create, update and delete since a moment, in order, for keeping a copy in sync; or, with
    `since_release`, `until_release` or `until`, every record changed between two releases or moments,
    once each, as it is at the later one (a tombstone if deleted by then)."""

    @extend_schema(
        parameters=[
            *conflictdb.views.ChangesView.PARAMETERS,
            OpenApiParameter(
                "since_release", OpenApiTypes.STR, description="A release's name: changes after it."
            ),
            OpenApiParameter(
                "until_release", OpenApiTypes.STR, description="A release's name: changes up to it."
            ),
            OpenApiParameter(
                "until", OpenApiTypes.DATETIME, description="ISO 8601, with a zone: changes before it."
            ),
        ],
        responses=PolymorphicProxySerializer(
            "Changes",
            [conflictdb.views.ChangesView.FEED, CHANGES_BETWEEN],
            resource_type_field_name=None,
        ),
    )
    def get(self, request):
        params = request.query_params
        if not BETWEEN & set(params):
            return super().get(request)
        reject_bad_parameters(request, {*BETWEEN, "since", "after", "page_size", "format"})
        for first, second in [("since", "since_release"), ("until", "until_release")]:
            if first in params and second in params:
                raise ValidationError({second: [f"Give `{first}` or `{second}`, not both."]})
        if "since_release" in params:
            since, start = release_point(params, "since_release")
        elif "since" in params:
            since, start = moment_point(params, "since")
        else:
            raise ValidationError({"since_release": ["Give `since_release` (or `since`)."]})
        if "until_release" in params:
            until, end = release_point(params, "until_release")
        elif "until" in params:
            until, end = moment_point(params, "until")
        else:  # up to now; the next pages go up to the same moment (their links carry it)
            end = timezone.now()
            until = Point(moment=end)
        if end < start:
            raise ValidationError(
                {"until_release" if "until_release" in params else "until": ["Before the start."]}
            )
        after = between_position(params["after"]) if "after" in params else None
        size = page_size(request, default=self.default_page_size)
        results, position = changes_between(collections(), since=since, until=until, after=after, limit=size)
        next_link = None
        if position:
            query = params.copy()
            query["after"] = f"{position[0]},{position[1]}"
            if "until_release" not in query:
                query["until"] = end.isoformat()
            next_link = request.build_absolute_uri(f"{reverse('changes')}?{query.urlencode()}")
        return Response({"since": start, "until": end, "next": next_link, "results": results})
