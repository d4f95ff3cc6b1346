"""Small functions that create valid records for tests.

Each takes keyword-only arguments with sensible defaults and saves with `objects.create`, so no model
validation runs: a test that passes a bad value reaches the database's constraints. Slugs are unique
through one counter shared by every factory.
"""

import itertools
from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.auth.models import Group, User
from knox.models import AuthToken

from conflictdb.models import DatePrecision
from events.curators import CURATORS
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import (
    ActorKind,
    ActorRole,
    ClaimRelationKind,
    ClaimType,
    EventType,
    GeoPrecision,
    SubEventType,
)
from sources.models import Source, SourceKind

_sequence = itertools.count(1)

# Passed where a factory should create the related record itself (None means "no related record").
NEW = object()


def unique_slug(prefix: str) -> str:
    return f"{prefix}-{next(_sequence)}"


def source(
    *,
    slug: str | None = None,
    kind: str = SourceKind.NEWS_ARTICLE,
    title: str | None = None,
    publisher: str = "Agence France-Presse",
    published_on: date | None = date(2015, 10, 3),
    date_precision: str = DatePrecision.DAY,
    reported_in: Source | None = None,
    **fields,
) -> Source:
    slug = slug or unique_slug("source")
    return Source.objects.create(
        slug=slug,
        kind=kind,
        title=title or f"Report {slug}",
        publisher=publisher,
        published_on=published_on,
        date_precision=date_precision,
        reported_in=reported_in,
        **fields,
    )


# Aliases for factories whose name a parameter of another factory shadows (`event(place=...)`).
_new_source = source


def actor(
    *,
    slug: str | None = None,
    name: str | None = None,
    kind: str = ActorKind.ARMED_GROUP,
    country: str = "",
    parent: Actor | None = None,
    aliases: Iterable[str] = (),
    **fields,
) -> Actor:
    slug = slug or unique_slug("actor")
    return Actor.objects.create(
        slug=slug,
        name=name or f"Actor {slug}",
        kind=kind,
        country=country,
        parent=parent,
        aliases=list(aliases),
        **fields,
    )


def place(
    *,
    slug: str | None = None,
    name: str | None = None,
    country: str = "SYR",
    admin1: str = "",
    latitude: float | None = 35.0,
    longitude: float | None = 38.0,
    geo_precision: str = GeoPrecision.TOWN,
    aliases: Iterable[str] = (),
    **fields,
) -> Place:
    slug = slug or unique_slug("place")
    return Place.objects.create(
        slug=slug,
        name=name or f"Place {slug}",
        country=country,
        admin1=admin1,
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
        aliases=list(aliases),
        **fields,
    )


_new_place = place


def event(
    *,
    slug: str | None = None,
    title: str | None = None,
    event_type: str = EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    sub_event_type: str = SubEventType.AIR_DRONE_STRIKE,
    start_date: date = date(2015, 9, 30),
    end_date: date | None = None,
    date_precision: str = DatePrecision.DAY,
    place: Place | None = NEW,
    actors: Iterable[tuple[Actor, str]] = (),
    **fields,
) -> Event:
    """An event, by default a one-day air strike at a new place; `actors` are (actor, role) pairs."""
    slug = slug or unique_slug("event")
    created = Event.objects.create(
        slug=slug,
        title=title or f"Event {slug}",
        event_type=event_type,
        sub_event_type=sub_event_type,
        start_date=start_date,
        end_date=end_date or start_date,
        date_precision=date_precision,
        place=_new_place() if place is NEW else place,
        **fields,
    )
    for involved, role in actors:
        EventActor.objects.create(event=created, actor=involved, role=role)
    return created


def claim(
    *,
    slug: str | None = None,
    claimant: Actor | None = None,
    source: Source | None = None,
    event: Event | None = None,
    claim_type: str = ClaimType.STRIKE_REPORT,
    statement: str | None = None,
    made_on: date | None = None,
    date_precision: str = "",
    **fields,
) -> Claim:
    """A claim by a new claimant in a new source unless they are given; about no event unless given."""
    slug = slug or unique_slug("claim")
    return Claim.objects.create(
        slug=slug,
        claimant=claimant or actor(),
        source=source or _new_source(),
        event=event,
        claim_type=claim_type,
        statement=statement or f"Claim {slug}",
        made_on=made_on,
        date_precision=date_precision,
        **fields,
    )


def claim_relation(
    *, from_claim: Claim, to_claim: Claim, kind: str = ClaimRelationKind.CONTRADICTS, note: str = ""
) -> ClaimRelation:
    return ClaimRelation.objects.create(from_claim=from_claim, to_claim=to_claim, kind=kind, note=note)


def documented_event(*, claims: int = 3, **event_fields) -> Event:
    """An air strike as a curator would record it from one article.

    A state's air force (perpetrator) strikes an armed group (target) with an ally; the article reports a
    ministry statement and a monitor's report. `claims` claims about the event cycle through claimants
    (the air force's self-report, the monitor, the armed group) and sources; each claim contradicts or
    supports the one before, so the event is disputed when it has two claims or more.
    """
    state = actor(kind=ActorKind.STATE, country="RUS")
    air_force = actor(kind=ActorKind.ARMED_FORCE, country="RUS", parent=state)
    armed_group = actor(kind=ActorKind.ARMED_GROUP, country="SYR")
    ally = actor(kind=ActorKind.ARMED_FORCE, country="SYR")
    monitor = actor(kind=ActorKind.NGO, country="GBR")
    article = source()
    statement = source(kind=SourceKind.OFFICIAL_STATEMENT, reported_in=article)
    monitor_report = source(kind=SourceKind.NGO_REPORT, publisher="", reported_in=article)
    happened = event(
        actors=[
            (air_force, ActorRole.PERPETRATOR),
            (armed_group, ActorRole.TARGET),
            (ally, ActorRole.ALLY),
        ],
        fatalities_low=5,
        fatalities_best=8,
        fatalities_high=12,
        **event_fields,
    )
    voices = [
        (air_force, statement, {"is_self_report": True}),
        (monitor, monitor_report, {"claim_type": ClaimType.CASUALTY_COUNT, "value": 8, "unit": "deaths"}),
        (armed_group, article, {"claim_type": ClaimType.DENIAL, "about_actor": air_force}),
    ]
    previous = None
    for number in range(claims):
        claimant, cited_in, fields = voices[number % len(voices)]
        made = claim(
            claimant=claimant,
            source=cited_in,
            event=happened,
            made_on=date(2015, 10, 3),
            date_precision=DatePrecision.DAY,
            **fields,
        )
        if previous is not None:
            kind = ClaimRelationKind.CONTRADICTS if number % 2 else ClaimRelationKind.SUPPORTS
            claim_relation(from_claim=made, to_claim=previous, kind=kind)
        previous = made
    return happened


# The admin ----------------------------------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """The POST data of an admin change form as the page shows it: the record's form, then each inline's
    management form and forms, with their current values (what a browser submits unchanged)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is True:
                data[bound.html_name] = "on"
            elif value not in (None, False):
                data[bound.html_name] = value
    return data


def edit_in_admin(client, record, **changes):
    """Open `record`'s admin change page with `client`, change `changes` in its form and save it."""
    url = f"/admin/{record._meta.app_label}/{record._meta.model_name}/{record.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, admin_form_data(page) | changes)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    return response


# People and their API tokens ------------------------------------------------------------------------------


def user(*, username: str | None = None, curator: bool = False) -> User:
    """A user without any model permission, or (`curator`) a member of the Curators group, which a data
    migration creates."""
    made = User.objects.create_user(username=username or unique_slug("user"))
    if curator:
        made.groups.add(Group.objects.get(name=CURATORS))
    return made


def token(owner, *, expiry: timedelta | None = timedelta(days=1)) -> str:
    """A new API token of `owner`, as its holder sends it (only its digest is stored)."""
    return AuthToken.objects.create(owner, expiry=expiry)[1]
