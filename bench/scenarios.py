"""The requests a bench run measures, chosen from the data so that each exercises what it is named for."""

import urllib.parse

from bench import ROOT

# The filtered first page with a date range no earlier request asked for: nothing cached helps.
NEW_DATES = "filtered first page, new dates each request"
NEW_DATES_SCRIPT = ROOT / "bench" / "new_dates.lua"
# How many pages in the deep page is: 5,000 when the dataset has twice as many, half its pages otherwise
# (a smoke run on a few thousand events), the scenario's name saying which.
DEEP_PAGES = 5000
DEEP = "deep page"
# The dates of the one such request whose statements are measured, as the script writes them.
NEW_DATES_EXAMPLE = "&date_from=2013-05-01&date_to=2015-04-30"
# The dates of the filtered first pages, of events and of claims by their event.
TWO_YEARS = "&date_from=2015-01-01&date_to=2016-12-31"


def largest_country() -> str:
    """The country of the most synthetic events."""
    from django.db.models import Count

    from conflictdb.models import SYNTHETIC_PREFIX
    from events.models import Place

    places = Place.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
    return places.values("country").annotate(n=Count("events")).order_by("-n").first()["country"]


def event_with_claims() -> str:
    """The slug of a synthetic event with at least three claims: a record page with something to show."""
    from django.db.models import Count

    from conflictdb.models import SYNTHETIC_PREFIX
    from events.models import Event

    synthetic = Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
    return synthetic.annotate(n=Count("claims")).filter(n__gte=3).values_list("slug", flat=True).first()


def scenarios() -> dict[str, str]:
    """The paths measured, by scenario name."""
    from django.db.models import Count

    from conflictdb.models import SYNTHETIC_PREFIX
    from conflictdb.pagination import PAGE_SIZE, cursor_order, encode_cursor
    from events.models import Event, Place

    synthetic = Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
    places = Place.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
    country = largest_country()
    pages = max(1, min(DEEP_PAGES, synthetic.count() // PAGE_SIZE // 2))
    deep_slug = synthetic.order_by("slug").values_list("slug", flat=True)[pages * PAGE_SIZE - 1]
    # A place name: a realistic search, neither one record nor half the table.
    place = places.annotate(n=Count("events")).filter(n__gte=5)
    term = place.order_by("n").values_list("name", flat=True).first()
    detail = event_with_claims()
    filtered = f"/api/v1/events/?country={country}&event_type=explosions_remote_violence"
    deep = encode_cursor([deep_slug], False, cursor_order(synthetic, [("slug", False)]))
    return {
        "filtered first page": f"{filtered}{TWO_YEARS}",
        NEW_DATES: filtered,
        f"{DEEP} ({pages:,} pages in)": f"/api/v1/events/?cursor={deep}",
        "text search": f"/api/v1/events/?search={urllib.parse.quote(term)}",
        "disputed first page": "/api/v1/events/?disputed=true",
        "event detail": f"/api/v1/events/{detail}/",
        "unfiltered first page": "/api/v1/events/",
        "claims first page": "/api/v1/claims/",
        # Claims by their event's country and dates, as the filtered events page asks for events.
        "claims filtered first page": f"/api/v1/claims/?country={country}{TWO_YEARS}",
    }


def deep_page(by_name: dict):
    """The deep page's entry of `by_name` (scenarios, or their results), whatever its depth."""
    return next(value for name, value in by_name.items() if name.startswith(DEEP))


def script_of(name: str):
    """The wrk script that writes each request of scenario `name`, if any."""
    return NEW_DATES_SCRIPT if name == NEW_DATES else None
