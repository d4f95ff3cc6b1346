"""The curated fixtures checked against the rules their modelling keeps (issue 17's fact-check), on the
files themselves: each claim dated within its event's range, or saying why not; each contested claim
contradicted; each slug's date no more precise than its event's dates; each value of an event traced to
the claims it rests on. Each check is also shown to catch the mistake it is for."""

import copy
import json
import re
from datetime import date

import pytest
from django.conf import settings

from events.dataset.reading import dataset_files

SLUG_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?-")


def fixtures() -> dict[str, dict]:
    """Every record of the fixture files, by collection and slug."""
    found: dict[str, dict] = {}
    for path in dataset_files([settings.BASE_DIR / "fixtures"]):
        for key, records in json.loads(path.read_text(encoding="utf-8")).items():
            found.setdefault(key, {}).update({record["slug"]: record for record in records})
    return found


def day(text: str) -> date:
    return date.fromisoformat(text)


def claims_dated_outside_their_event(data) -> list[str]:
    """A claim made before its event began, or after it ended without being cited for the event's dates
    (a later statement of when it happened, which says why its date is outside)."""
    found = []
    for claim in data["claims"].values():
        event = data["events"].get(claim["event"])
        if event is None or claim["made_on"] is None:
            continue
        made, start, end = day(claim["made_on"]), day(event["start_date"]), day(event["end_date"])
        dates_of = event["evidence"]["dates"]
        if made < start or (made > end and claim["slug"] not in dates_of):
            found.append(f"{claim['slug']} made {made} about {event['slug']} ({start}..{end})")
    return found


def contested_without_contradiction(data) -> list[str]:
    contradicted = set()
    for claim in data["claims"].values():
        for relation in claim["relations"]:
            if relation["kind"] == "contradicts":
                contradicted |= {claim["slug"], relation["claim"]}
    return sorted(
        slug
        for slug, claim in data["claims"].items()
        if claim["status"] == "contested" and slug not in contradicted
    )


def slugs_stating_more_than_their_dates(data) -> list[str]:
    """An event's slug that begins with a date states that its event falls within that year, month or
    day; a day only of an event known to the day."""
    found = []
    for slug, event in data["events"].items():
        match = SLUG_DATE.match(slug)
        if not match:
            continue
        year, month, day_of_month = match.groups()
        start, end = day(event["start_date"]), day(event["end_date"])
        stated = [(d.year, d.month, d.day)[: 1 + bool(month) + bool(day_of_month)] for d in (start, end)]
        wanted = tuple(int(part) for part in (year, month, day_of_month) if part)
        exact_day = event["date_precision"] == "day" if day_of_month else True
        if stated != [wanted, wanted] or not exact_day:
            found.append(f"{slug} ({event['start_date']}..{event['end_date']}, {event['date_precision']})")
    return found


def values_without_evidence(data) -> list[str]:
    """Each value an event carries (a fatalities figure, its dates, its place, an actor's role) with no
    claim cited for it, or a cited claim that is not in the files."""
    found = []
    claims = data["claims"]
    for slug, event in data["events"].items():
        evidence = event["evidence"]
        cited = {
            "fatalities": any(event[f"fatalities_{n}"] is not None for n in ("low", "best", "high")),
            "dates": True,
            "place": event["place"] is not None,
        }
        found += [f"{slug}: {name}" for name, needed in cited.items() if needed and not evidence[name]]
        found += [
            f"{slug}: {item['actor']} {item['role']}" for item in event["actors"] if not item["evidence"]
        ]
        every = [*sum(evidence.values(), []), *sum((item["evidence"] for item in event["actors"]), [])]
        found += [f"{slug}: no claim {claim}" for claim in every if claim not in claims]
    return found


CHECKS = [
    claims_dated_outside_their_event,
    contested_without_contradiction,
    slugs_stating_more_than_their_dates,
    values_without_evidence,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_the_fixtures_pass(check):
    assert check(fixtures()) == []


# Each check catches the mistake it is for: the fixtures as they were before issue 17.


def campaign(data) -> dict:
    return next(e for e in data["events"].values() if e["title"].startswith("Russia's air campaign in Syria"))


def test_a_one_day_campaign_holding_the_weeks_claims_is_caught():
    data = copy.deepcopy(fixtures())
    event = campaign(data)
    event["end_date"], event["date_precision"] = event["start_date"], "day"

    found = claims_dated_outside_their_event(data)

    assert any(line.startswith("erdogan-65-killed-in-russian-bombing made 2015-10-03") for line in found)


def test_a_contested_claim_no_claim_contradicts_is_caught():
    data = copy.deepcopy(fixtures())
    for claim in data["claims"].values():
        claim["relations"] = [
            r for r in claim["relations"] if r["claim"] != "russia-maarat-al-numan-isis-training-camp"
        ]

    assert contested_without_contradiction(data) == ["russia-maarat-al-numan-isis-training-camp"]


@pytest.mark.parametrize(
    ("slug", "start", "end", "precision", "caught"),
    [
        ("2015-10-03-russia-strikes-hama", "2015-09-30", "2015-10-03", "range", True),  # a week, as a day
        (
            "2015-islamic-state-captures-palmyra",
            "2014-09-01",
            "2015-10-03",
            "range",
            True,
        ),  # a year not given
        ("2015-09-30-campaign", "2015-09-30", "2015-10-03", "range", True),
        ("2015-10-03-a-day", "2015-10-03", "2015-10-03", "day", False),
        ("2015-10-overnight", "2015-10-02", "2015-10-03", "range", False),
        ("2014-09-coalition", "2014-09-01", "2014-09-30", "month", False),
        ("2011-uprising", "2011-01-01", "2011-12-31", "year", False),
        ("2015-the-week", "2015-09-30", "2015-10-03", "range", False),
    ],
)
def test_a_slug_stating_a_date_its_event_does_not_have_is_caught(slug, start, end, precision, caught):
    data = {"events": {slug: {"start_date": start, "end_date": end, "date_precision": precision}}}

    assert bool(slugs_stating_more_than_their_dates(data)) is caught


def test_fatalities_without_evidence_are_caught():
    data = copy.deepcopy(fixtures())
    event = next(e for e in data["events"].values() if e["fatalities_best"] == 12)
    event["evidence"]["fatalities"] = []
    event["actors"][0]["evidence"] = []

    found = values_without_evidence(data)

    assert found == [
        f"{event['slug']}: fatalities",
        f"{event['slug']}: {event['actors'][0]['actor']} {event['actors'][0]['role']}",
    ]
