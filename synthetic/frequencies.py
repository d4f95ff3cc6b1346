"""How often each value of each vocabulary comes up in the synthetic dataset: skewed like real conflict data.

The weights are relative; only their ratios matter.
"""

from conflictdb.models import DatePrecision
from events.vocabularies import (
    ActorKind,
    ClaimStatus,
    ClaimType,
    EventType,
    GeoPrecision,
    SubEventType,
)
from sources.models import SourceKind
from synthetic.randomness import Weighted

EVENT_TYPES = Weighted(
    {
        EventType.EXPLOSIONS_REMOTE_VIOLENCE: 38,
        EventType.BATTLES: 30,
        EventType.VIOLENCE_AGAINST_CIVILIANS: 13,
        EventType.STRATEGIC_DEVELOPMENTS: 9,
        EventType.PROTESTS: 6,
        EventType.RIOTS: 4,
    }
)
# How common each sub-type is within its type (air strikes and shelling far more than chemical weapons).
SUB_TYPES = {
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: Weighted(
        {
            SubEventType.AIR_DRONE_STRIKE: 45,
            SubEventType.SHELLING_ARTILLERY_MISSILE: 35,
            SubEventType.REMOTE_EXPLOSIVE: 12,
            SubEventType.GRENADE: 4,
            SubEventType.SUICIDE_BOMB: 3,
            SubEventType.CHEMICAL_WEAPON: 1,
        }
    ),
    EventType.BATTLES: Weighted(
        {
            SubEventType.ARMED_CLASH: 85,
            SubEventType.GOVERNMENT_REGAINS_TERRITORY: 8,
            SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY: 7,
        }
    ),
    EventType.VIOLENCE_AGAINST_CIVILIANS: Weighted(
        {SubEventType.ATTACK: 80, SubEventType.ABDUCTION: 15, SubEventType.SEXUAL_VIOLENCE: 5}
    ),
    EventType.PROTESTS: Weighted(
        {
            SubEventType.PEACEFUL_PROTEST: 80,
            SubEventType.PROTEST_WITH_INTERVENTION: 15,
            SubEventType.EXCESSIVE_FORCE: 5,
        }
    ),
    EventType.RIOTS: Weighted({SubEventType.VIOLENT_DEMONSTRATION: 60, SubEventType.MOB_VIOLENCE: 40}),
    EventType.STRATEGIC_DEVELOPMENTS: Weighted(
        {
            SubEventType.ARRESTS: 20,
            SubEventType.LOOTING_PROPERTY_DESTRUCTION: 15,
            SubEventType.CHANGE_TO_GROUP_ACTIVITY: 15,
            SubEventType.DISRUPTED_WEAPONS_USE: 15,
            SubEventType.AGREEMENT: 10,
            SubEventType.OTHER: 10,
            SubEventType.HEADQUARTERS_ESTABLISHED: 8,
            SubEventType.NON_VIOLENT_TRANSFER: 7,
        }
    ),
}
DATE_PRECISIONS = Weighted(
    {DatePrecision.DAY: 72, DatePrecision.RANGE: 19, DatePrecision.MONTH: 7, DatePrecision.YEAR: 2}
)
ACTORS_PER_EVENT = Weighted({1: 35, 2: 45, 3: 20})
CLAIMS_PER_EVENT = Weighted({1: 20, 2: 35, 3: 25, 4: 12, 5: 8})  # 2.53 on average
GEO_PRECISIONS = Weighted(
    {
        GeoPrecision.TOWN: 76,
        GeoPrecision.NEAR: 8,
        GeoPrecision.ADMIN1: 8,
        GeoPrecision.EXACT: 5,
        GeoPrecision.COUNTRY: 3,
    }
)
ACTOR_KINDS = Weighted(
    {
        ActorKind.ARMED_GROUP: 34,
        ActorKind.PERSON: 12,
        ActorKind.GOVERNMENT_BODY: 10,
        ActorKind.COLLECTIVE: 10,
        ActorKind.ARMED_FORCE: 6,
        ActorKind.MEDIA: 9,
        ActorKind.NGO: 8,
        ActorKind.COALITION: 3,
        ActorKind.INTERNATIONAL_ORGANISATION: 3,
        ActorKind.OTHER: 5,
    }
)
# Actors of these kinds observe and report; the others take part in events.
OBSERVERS = {ActorKind.MEDIA, ActorKind.NGO, ActorKind.INTERNATIONAL_ORGANISATION}
SOURCE_KINDS = Weighted(
    {
        SourceKind.NEWS_ARTICLE: 50,
        SourceKind.OFFICIAL_STATEMENT: 12,
        SourceKind.NGO_REPORT: 10,
        SourceKind.INTERVIEW: 8,
        SourceKind.SOCIAL_MEDIA: 8,
        SourceKind.PRESS_CONFERENCE: 5,
        SourceKind.VIDEO: 5,
        SourceKind.OTHER: 2,
    }
)
LANGUAGES = Weighted({"en": 55, "ar": 15, "fr": 10, "ru": 6, "uk": 5, "es": 5, "": 4})
# A claim of these types by the perpetrator of the event is a self-report.
SELF_REPORT_TYPES = {ClaimType.STRIKE_REPORT, ClaimType.CONTROL, ClaimType.INTENT}
CLAIM_TYPES_OF_PERPETRATOR = Weighted(
    {
        ClaimType.STRIKE_REPORT: 40,
        ClaimType.CASUALTY_COUNT: 15,
        ClaimType.DENIAL: 15,
        ClaimType.INTENT: 10,
        ClaimType.CONTROL: 10,
        ClaimType.OTHER: 10,
    }
)
CLAIM_TYPES_OF_OTHERS = Weighted(
    {
        ClaimType.CASUALTY_COUNT: 40,
        ClaimType.ATTRIBUTION: 15,
        ClaimType.TARGET_IDENTITY: 12,
        ClaimType.ASSESSMENT: 12,
        ClaimType.CONDEMNATION: 10,
        ClaimType.DENIAL: 3,
        ClaimType.OTHER: 8,
    }
)
CASUALTY_UNITS = Weighted({"deaths": 70, "civilian deaths": 15, "injured": 15})
STRIKE_UNITS = Weighted({"strikes": 50, "sorties": 30, "targets hit": 20})
STATUSES = Weighted(
    {
        ClaimStatus.UNVERIFIED: 60,
        ClaimStatus.CORROBORATED: 20,
        ClaimStatus.CONTESTED: 12,
        ClaimStatus.DISCOUNTED: 8,
    }
)
