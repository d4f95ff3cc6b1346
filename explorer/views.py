"""The explorer's pages: `/` (the events matching the API's filters, on a map, a timeline and a list)
and a page for each event, actor, place, source and claim.

Every record is read as the API reads it (the listing's rows written by PostgreSQL, the serializers'
data); a page under a previous slug redirects to the record's page, as the API's URLs do.
"""

import json
from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.db import OperationalError
from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse

from conflictdb.slugs import renamed
from events.api.listing import claim_rows, detailed_event, event_rows
from events.api.serializers import ActorSerializer, PlaceSerializer
from events.filtersets import EventFilterSet
from events.models import Actor, Claim, Event, EventActor, Place
from explorer.answers import events_aggregate, events_page
from explorer.map import event_map
from explorer.timeline import PERIOD_NAMES, is_period, period_for, timeline
from sources.api.serializers import SourceSerializer
from sources.models import Source


def strict_policy(view):
    """The site's policy allows inline style attributes for the admin and Swagger UI; these pages need
    none. Their images are the site's own, and the map's tiles' when EXPLORER_TILE_URL gives them."""

    @wraps(view)
    def policed(request, *args, **kwargs):
        images = ["'self'"]
        if settings.EXPLORER_TILE_URL:
            tiles = urlsplit(settings.EXPLORER_TILE_URL)
            images.append(f"{tiles.scheme}://{tiles.netloc}")
        return csp_replace({"style-src": ["'self'"], "img-src": images})(view)(request, *args, **kwargs)

    return policed


LINKED_AT_MOST = 100  # records listed on a page as linking to its record; the rest through `/`'s filters


def api_links(query: str) -> dict:
    """The same selection from the API: its JSON and exports."""
    base = reverse("event-list")
    joined = f"{base}?{query}&" if query else f"{base}?"
    return {
        "JSON": f"{base}?{query}" if query else base,
        "CSV": f"{joined}format=csv",
        "GeoJSON": f"{joined}format=geojson",
        "ACLED CSV": f"{joined}format=acled",
    }


def problems(data) -> list[tuple[str, str]]:
    """(parameter, message) of an API problem (drf-standardized-errors' `errors`), for the page."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not errors:
        return [("", str(data.get("detail", "Bad request.")) if isinstance(data, dict) else "Bad request.")]
    return [(error.get("attr") or "", error.get("detail", "")) for error in errors]


@strict_policy
def home(request):
    """The events that match the filters (the page's query: a permalink) as a list, a map and a
    timeline, with links to the same selection from the API."""
    query = request.GET.copy()
    for name, values in request.GET.lists():  # a form's empty fields: no filter
        if not any(values):
            del query[name]
    period = query.pop("period", [""])[-1]
    context = {"given": request.GET, "periods": PERIOD_NAMES, "links": api_links(query.urlencode())}
    if period and not is_period(period):
        context["problems"] = [("period", "Must be one of year, quarter, month, week, day.")]
        return render(request, "explorer/home.html", context, status=400)
    page = events_page(request, query)
    if not page.ok:
        context["problems"] = problems(page.data)
        return render(request, "explorer/home.html", context, status=page.status)
    filterset = EventFilterSet(query, queryset=Event.objects.all(), request=request)
    dates = filterset.form.cleaned_data if filterset.is_valid() else {}
    date_from, date_to = dates.get("date_from"), dates.get("date_to")
    period = period or period_for(date_from, date_to)
    counted = query.copy()
    if date_from and date_to:
        counted["fill"] = "true"
    aggregate = events_aggregate(request, counted, period)
    context |= {
        "page": page.data,
        "previous": local(page.data.get("previous"), request.GET.get("period")),
        "next": local(page.data.get("next"), request.GET.get("period")),
        "timeline": timeline(period, aggregate.data) if aggregate.ok else None,
        "map": drawn_map(filterset.qs, page.data["count"], query),
        "period": period,
    }
    return render(request, "explorer/home.html", context)


def drawn_map(events, count: int, query):
    """The map, or None when its query outlasts the statement timeout: the page is shown without it
    (saying so) rather than not at all."""
    try:
        return event_map(events, count, query)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        return None


def local(link: str | None, period: str | None) -> str | None:
    """A page link of the API's answer (to the page's own path, as it was asked) as a relative one, with
    the page's own parameter."""
    if not link:
        return None
    query = QueryDict(link.split("?", 1)[1] if "?" in link else "", mutable=True)
    if period:
        query["period"] = period
    return f"?{query.urlencode()}"


def not_found(request, kind: str, slug: str):
    return render(request, "explorer/not_found.html", {"kind": kind, "slug": slug}, status=404)


def moved(request, model, slug: str, url_name: str):
    """A redirect to the page of the record of `model` that had `slug`, or a 404 page."""
    record = renamed(model.objects.all(), slug)
    if record is None:
        return not_found(request, model._meta.verbose_name, slug)
    return HttpResponsePermanentRedirect(reverse(url_name, kwargs={"slug": record.slug}))


def by_claimant(claims: list[dict]) -> list[dict]:
    """The claims grouped by their claimant, in the order of the claimants' first claims."""
    groups = {}
    for claim in claims:
        claimant = claim["claimant"]
        groups.setdefault(claimant["slug"], {"claimant": claimant, "claims": []})["claims"].append(claim)
    return list(groups.values())


@strict_policy
def event_page(request, slug):
    """An event: what, where, when, who, its figures with the claims they rest on, and who says what."""
    row = event_rows("summary", "id", "updated_at").filter(slug=slug).first()
    if row is None:
        return moved(request, Event, slug, "explorer-event")
    event = detailed_event(row, claim_rows().filter(event_id=row["id"]).order_by("slug"))
    context = {
        "event": event,
        "claimants": by_claimant(event["claims"]),
        "json_url": reverse("event-detail", kwargs={"slug": slug}),
        "history_url": reverse("event-history", kwargs={"slug": slug}),
    }
    return render(request, "explorer/event.html", context)


def events_of(rows, limit: int = LINKED_AT_MOST) -> list[dict]:
    return [json.loads(row["record"]) for row in rows.values("record")[:limit]]


def claims_of(rows, limit: int = LINKED_AT_MOST) -> list[dict]:
    return [json.loads(row["record"]) for row in rows.order_by("slug").values("record")[:limit]]


@strict_policy
def actor_page(request, slug):
    """An actor: what it is, the events it took part in (with its roles) and the claims it made."""
    actor = Actor.objects.select_related("parent").filter(slug=slug).first()
    if actor is None:
        return moved(request, Actor, slug, "explorer-actor")
    roles = (
        EventActor.objects.filter(actor=actor)
        .select_related("event")
        .order_by("event__start_date", "event__slug", "role")
    )
    context = {
        "actor": ActorSerializer(actor).data,
        "parent": actor.parent,
        "members": actor.children.order_by("slug"),
        "roles": roles[:LINKED_AT_MOST],
        "role_count": roles.count(),
        "claims": claims_of(claim_rows().filter(claimant_id=actor.pk)),
        "claims_about": claims_of(claim_rows().filter(about_actor_id=actor.pk)),
        "json_url": reverse("actor-detail", kwargs={"slug": actor.slug}),
        "history_url": reverse("actor-history", kwargs={"slug": actor.slug}),
    }
    return render(request, "explorer/actor.html", context)


@strict_policy
def place_page(request, slug):
    """A place: where it is, how precisely, and the events there."""
    place = Place.objects.filter(slug=slug).first()
    if place is None:
        return moved(request, Place, slug, "explorer-place")
    events = event_rows().filter(place_id=place.pk).order_by("start_date", "slug")
    context = {
        "place": PlaceSerializer(place).data,
        "events": events_of(events),
        "event_count": events.count(),
        "json_url": reverse("place-detail", kwargs={"slug": place.slug}),
        "history_url": reverse("place-history", kwargs={"slug": place.slug}),
    }
    return render(request, "explorer/place.html", context)


@strict_policy
def source_page(request, slug):
    """A source: what it is, where it was reported, the sources it reports and the claims from it."""
    source = Source.objects.select_related("reported_in").filter(slug=slug).first()
    if source is None:
        return moved(request, Source, slug, "explorer-source")
    claims = claim_rows().filter(Q(source_id=source.pk) | Q(source__reported_in=source.pk))
    context = {
        "source": SourceSerializer(source).data,
        "reported_in": source.reported_in,
        "reports": source.reported_sources.order_by("slug"),
        "claims": claims_of(claims),
        "json_url": reverse("source-detail", kwargs={"slug": source.slug}),
        "history_url": reverse("source-history", kwargs={"slug": source.slug}),
    }
    return render(request, "explorer/source.html", context)


@strict_policy
def claim_page(request, slug):
    """A claim: who claims what, where, about which event or actor, and what supports or contradicts it."""
    row = claim_rows().filter(slug=slug).values("record").first()
    if row is None:
        return moved(request, Claim, slug, "explorer-claim")
    context = {
        "claim": json.loads(row["record"]),
        "json_url": reverse("claim-detail", kwargs={"slug": slug}),
        "history_url": reverse("claim-history", kwargs={"slug": slug}),
    }
    return render(request, "explorer/claim.html", context)
