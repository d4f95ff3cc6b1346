"""The controlled vocabularies of events, actors, places and claims.

Event types and sub-types follow ACLED's codebook, the reference most users already know.
"""

from django.db import models


class EventType(models.TextChoices):
    BATTLES = "battles", "Battles"
    EXPLOSIONS_REMOTE_VIOLENCE = "explosions_remote_violence", "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians", "Violence against civilians"
    PROTESTS = "protests", "Protests"
    RIOTS = "riots", "Riots"
    STRATEGIC_DEVELOPMENTS = "strategic_developments", "Strategic developments"


class SubEventType(models.TextChoices):
    ARMED_CLASH = "armed_clash", "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory", "Government regains territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = (
        "non_state_actor_overtakes_territory",
        "Non-state actor overtakes territory",
    )
    CHEMICAL_WEAPON = "chemical_weapon", "Chemical weapon"
    AIR_DRONE_STRIKE = "air_drone_strike", "Air/drone strike"
    SUICIDE_BOMB = "suicide_bomb", "Suicide bomb"
    SHELLING_ARTILLERY_MISSILE = "shelling_artillery_missile_attack", "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "remote_explosive_landmine_ied", "Remote explosive/landmine/IED"
    GRENADE = "grenade", "Grenade"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    ATTACK = "attack", "Attack"
    ABDUCTION = "abduction_forced_disappearance", "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "peaceful_protest", "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention", "Protest with intervention"
    EXCESSIVE_FORCE = "excessive_force_against_protesters", "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "violent_demonstration", "Violent demonstration"
    MOB_VIOLENCE = "mob_violence", "Mob violence"
    AGREEMENT = "agreement", "Agreement"
    ARRESTS = "arrests", "Arrests"
    CHANGE_TO_GROUP_ACTIVITY = "change_to_group_activity", "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use", "Disrupted weapons use"
    HEADQUARTERS_ESTABLISHED = "headquarters_or_base_established", "Headquarters or base established"
    LOOTING_PROPERTY_DESTRUCTION = "looting_property_destruction", "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "non_violent_transfer_of_territory", "Non-violent transfer of territory"
    OTHER = "other", "Other"


# Which sub-types belong to which type (ACLED's tree); enforced by a database constraint on Event.
SUB_EVENT_TYPES = {
    EventType.BATTLES: [
        SubEventType.ARMED_CLASH,
        SubEventType.GOVERNMENT_REGAINS_TERRITORY,
        SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY,
    ],
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: [
        SubEventType.CHEMICAL_WEAPON,
        SubEventType.AIR_DRONE_STRIKE,
        SubEventType.SUICIDE_BOMB,
        SubEventType.SHELLING_ARTILLERY_MISSILE,
        SubEventType.REMOTE_EXPLOSIVE,
        SubEventType.GRENADE,
    ],
    EventType.VIOLENCE_AGAINST_CIVILIANS: [
        SubEventType.SEXUAL_VIOLENCE,
        SubEventType.ATTACK,
        SubEventType.ABDUCTION,
    ],
    EventType.PROTESTS: [
        SubEventType.PEACEFUL_PROTEST,
        SubEventType.PROTEST_WITH_INTERVENTION,
        SubEventType.EXCESSIVE_FORCE,
    ],
    EventType.RIOTS: [SubEventType.VIOLENT_DEMONSTRATION, SubEventType.MOB_VIOLENCE],
    EventType.STRATEGIC_DEVELOPMENTS: [
        SubEventType.AGREEMENT,
        SubEventType.ARRESTS,
        SubEventType.CHANGE_TO_GROUP_ACTIVITY,
        SubEventType.DISRUPTED_WEAPONS_USE,
        SubEventType.HEADQUARTERS_ESTABLISHED,
        SubEventType.LOOTING_PROPERTY_DESTRUCTION,
        SubEventType.NON_VIOLENT_TRANSFER,
        SubEventType.OTHER,
    ],
}


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    GOVERNMENT_BODY = "government_body", "Government body (ministry, agency)"
    ARMED_FORCE = "armed_force", "State armed force"
    ARMED_GROUP = "armed_group", "Non-state armed group"
    COALITION = "coalition", "Coalition"
    PERSON = "person", "Person"
    NGO = "ngo", "Non-governmental organisation"
    MEDIA = "media", "Media organisation"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    COLLECTIVE = "collective", "Collective (civilians, rebels, ...)"
    OTHER = "other", "Other"


class GeoPrecision(models.TextChoices):
    """How closely the coordinates locate the place (cf. ACLED's geo_precision, UCDP's where_prec)."""

    EXACT = "exact", "Exact location"
    NEAR = "near", "Near the named location"
    TOWN = "town", "Town or city"
    ADMIN1 = "admin1", "First administrative division"
    COUNTRY = "country", "Country"


class ActorRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator"
    TARGET = "target", "Target"
    ALLY = "ally", "Ally of a perpetrator"
    VICTIM = "victim", "Victim"
    PARTY = "party", "Other party"


class ClaimType(models.TextChoices):
    CASUALTY_COUNT = "casualty_count", "Casualty count"
    TARGET_IDENTITY = "target_identity", "Target identity"
    STRIKE_REPORT = "strike_report", "Strike report"
    ATTRIBUTION = "attribution", "Attribution"
    DENIAL = "denial", "Denial"
    ASSESSMENT = "assessment", "Assessment"
    INTENT = "intent", "Stated intent or motive"
    CONTROL = "control", "Territorial control"
    CONDEMNATION = "condemnation", "Condemnation"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    """A curator's grading of a claim (after Airwars)."""

    UNVERIFIED = "unverified", "Unverified"
    CORROBORATED = "corroborated", "Corroborated"
    CONTESTED = "contested", "Contested"
    DISCOUNTED = "discounted", "Discounted"


class ClaimRelationKind(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"


class EvidenceFor(models.TextChoices):
    """What of an event a claim is cited as evidence for (EventEvidence)."""

    FATALITIES = "fatalities", "Fatalities (low / best / high)"
    DATES = "dates", "Dates"
    PLACE = "place", "Place"
    ROLE = "role", "An actor's role"
