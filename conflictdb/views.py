"""The base of every collection's API view, and the feed of changes across collections."""

from django.db import router, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from conflictdb.changes import ChangeSerializer, changes, format_position, parse_position, parse_since
from conflictdb.errors import PreconditionFailed, error_attr
from conflictdb.exports import ExportMixin, is_export
from conflictdb.pagination import page_size
from conflictdb.past import in_past
from conflictdb.points import HEADER, asks_for_past, requested_state, showing, shown
from conflictdb.repeated import repeated_errors
from conflictdb.response_cache import conditional_read, record_etag, record_part
from conflictdb.slugs import renamed
from conflictdb.versions import VersionSerializer, item_keys_of, ordered_versions, version_page

# Parameters each action understands besides its filters; anything else is a 400.
ACTION_PARAMETERS = {
    "retrieve": {"format", "release", "as_of"},
    "history": {"format", "page", "page_size", "cursor", "release", "as_of"},
    **dict.fromkeys(["create", "update", "partial_update", "destroy"], {"format"}),
}
WRITES = {"create", "update", "partial_update"}


def record_headers(request, model, updated_at) -> dict:
    """An answer's headers about one record: its strong ETag, whose first part (from `updated_at`, which
    changes whenever the record is saved) is what If-Match compares, and when it was last saved."""
    return {
        "ETag": record_etag(request, model, updated_at),
        "Last-Modified": http_date(updated_at.timestamp()),
    }


def reject_bad_parameters(request, allowed: set[str] | None):
    """400 for NUL characters (PostgreSQL text cannot hold them) and, where `allowed` is given, for
    parameters not in it and for any given more than once (each takes one value: conflictdb/repeated.py;
    a list's parameters are the filter backend's to check)."""
    errors = {
        error_attr(name): ["Must not contain NUL characters."]
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    }
    if allowed is not None:
        errors |= {
            error_attr(name): ["Unknown query parameter."] for name in set(request.query_params) - allowed
        }
        errors = repeated_errors(request.query_params) | errors  # an unknown one is said to be unknown
    if errors:
        raise ValidationError(dict(sorted(errors.items())))


def paginated(name: str, item):
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "count_is_estimate": serializers.BooleanField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


class CollectionViewSet(ExportMixin, viewsets.ModelViewSet):
    """A collection of records addressed by slug: a filtered, paginated list (or export), details, each
    record's history, and writes for users with the model's permissions.

    `serializer_class` reads; `detail_serializer_class` (when set) reads one record; `write_serializer_class`
    (when set) validates and saves writes, whose responses are the record as read. Responses about one
    record carry an ETag; a write with a stale If-Match is a 412. Lists check their query parameters in
    the filter backend, other actions accept only their own (ACTION_PARAMETERS).

    Reads take `release` or `as_of` (conflictdb/points.py): the same reads, of the records at that point,
    in one transaction; the response names the state in the Data-State header (and a list's `state`).
    """

    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    detail_serializer_class = None
    write_serializer_class = None

    state = None  # the point of the history read (conflictdb/points.py); None: the records as they are

    def dispatch(self, request, *args, **kwargs):
        if not asks_for_past(request) or request.method not in permissions.SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        self.reads = router.db_for_read(type(self).queryset.model)
        with transaction.atomic(using=self.reads), showing(None):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.state = requested_state(request)
        reject_bad_parameters(request, ACTION_PARAMETERS.get(self.action))
        if self.state is not None:
            self.state.enter(self.reads)
            request.state = self.state  # for the list's envelope (conflictdb/pagination.py)
            shown.set(self.state.cache_key())  # until dispatch's `showing` ends

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.state is not None:
            response[HEADER] = self.state.header()
        return response

    def handle_exception(self, exc):
        """A record's URL under a previous slug answers with a redirect to the same URL under its slug,
        the query kept (conflictdb/slugs.py): 301 for reading, 308 for writing (the method and body kept,
        which a client may change on a 301). Looked up only once the slug named no record."""
        slug = self.kwargs.get(self.lookup_field)
        if isinstance(exc, Http404) and slug is not None:
            record = renamed(type(self).queryset.model.objects.all(), slug)
            if record is not None:
                match = self.request.resolver_match
                path = reverse(match.view_name, kwargs={**match.kwargs, self.lookup_field: record.slug})
                query = self.request.META.get("QUERY_STRING", "")
                location = self.request.build_absolute_uri(f"{path}?{query}" if query else path)
                moved = self.request.method in ("GET", "HEAD", "OPTIONS")
                return Response(
                    status=status.HTTP_301_MOVED_PERMANENTLY if moved else status.HTTP_308_PERMANENT_REDIRECT,
                    headers={"Location": location},
                )
        return super().handle_exception(exc)

    def get_serializer_class(self):
        if self.action in WRITES and self.write_serializer_class:
            return self.write_serializer_class
        if self.detail and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def represent(self, page: list) -> list:
        """A page of the list as data to render."""
        return self.get_serializer(page, many=True).data

    @conditional_read
    def list(self, request, *args, **kwargs):
        if is_export(request):
            return self.export(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.represent(page))

    def as_read(self, record, status_code=status.HTTP_200_OK) -> Response:
        """The record as a reader gets it, with its ETag. `record` comes from get_queryset()."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        data = serializer_class(record, context=self.get_serializer_context()).data
        return Response(
            data,
            status=status_code,
            headers=record_headers(self.request, type(record), record.updated_at),
        )

    def locked_record(self):
        """The addressed record, locked until the transaction ends, after an If-Match check against it."""
        record = self.get_object()
        record = type(record).objects.select_for_update().get(pk=record.pk)
        expected = self.request.headers.get("If-Match")
        # The record's part of its ETag, as an identity or a gzip-coded answer gave it: a change of another
        # record (which changes the rest of the tag) does not make this one's copy stale for writing.
        current = str(int(record.updated_at.timestamp() * 1_000_000))
        given = {record_part(tag) for tag in (expected or "").split(",")}
        if expected and expected.strip() != "*" and current not in given:
            raise PreconditionFailed()
        return record

    @conditional_read
    def retrieve(self, request, *args, **kwargs):
        return self.as_read(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            record = serializer.save()
        response = self.as_read(self.get_queryset().get(pk=record.pk), status.HTTP_201_CREATED)
        response["Location"] = reverse(f"{self.basename}-detail", kwargs={"slug": record.slug})
        return response

    def update(self, request, *args, partial=False, **kwargs):
        with transaction.atomic():
            serializer = self.get_serializer(self.locked_record(), data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            record = serializer.save()
        return self.as_read(self.get_queryset().get(pk=record.pk))

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.locked_record().delete()  # still referenced: ProtectedError, a 409 (conflictdb/errors.py)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The record's versions, oldest first, with what changed in each",
        responses=paginated("PaginatedVersionList", VersionSerializer(many=True)),
        filters=False,
    )
    @action(detail=True, filter_backends=[])
    def history(self, request, slug=None):
        """The record's versions, oldest first, a page at a time: who made each, the record after it, and
        what it changed, the record's links (an event's actors, a claim's relations) included."""
        record = self.get_object()
        versions = ordered_versions(record)
        if self.state is not None:  # the versions up to the point
            versions = versions.filter(in_past(self.state.point))
        versions = self.paginate_queryset(versions)
        items = item_keys_of(self.write_serializer_class or self.serializer_class)
        return self.get_paginated_response(version_page(record, versions, item_keys=items))


class ChangesView(APIView):
    """Every create, update and delete since a moment, in order, for keeping a copy in sync.

    Start with `since`; follow `next` while it is not null; later, poll `resume` (the position after the
    last change returned) for what happened since. A delete is a tombstone carrying the record's slug; a
    change to an event's actors or a claim's relations is reported as an update of that event or claim.
    Changes of transactions still in progress are held back until they, and every older one, end.
    """

    permission_classes = [permissions.AllowAny]
    default_page_size = 100

    # The schema's parameters and response, which a view adding parameters extends (releases/api/views.py).
    PARAMETERS = [
        OpenApiParameter(
            "since", OpenApiTypes.DATETIME, description="ISO 8601, with a zone; needed without `after`."
        ),
        OpenApiParameter(
            "after", OpenApiTypes.STR, description="A position, from a `next` or `resume` link."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1},
            description="Changes per response: 100 by default, at most 1000 (a larger one gives 1000).",
        ),
    ]
    FEED = inline_serializer(
        "ChangeFeed",
        {
            "next": serializers.URLField(allow_null=True, help_text="More changes now; null when none."),
            "resume": serializers.URLField(help_text="Where to continue later."),
            "results": ChangeSerializer(many=True),
        },
    )

    @extend_schema(parameters=PARAMETERS, responses=FEED)
    def get(self, request):
        reject_bad_parameters(request, {"since", "after", "page_size", "format"})
        params = request.query_params
        if "after" in params:
            found = {"position": parse_position(params["after"])}
        elif "since" in params:
            found = {"since": parse_since(params["since"])}
        else:
            raise ValidationError({"since": ["Give `since` (or `after`, from a previous response)."]})
        size = page_size(request, default=self.default_page_size)
        results = changes(**found, limit=size + 1)
        more = len(results) > size
        results = results[:size]

        def link(position):
            query = params.copy()
            query.pop("since", None)
            query["after"] = format_position(position)
            return request.build_absolute_uri(f"{reverse('changes')}?{query.urlencode()}")

        resume = link(results[-1]["position"]) if results else request.build_absolute_uri()
        for change in results:
            del change["position"]
        return Response({"next": resume if more else None, "resume": resume, "results": results})
