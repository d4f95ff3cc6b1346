"""The columns each table's synthetic rows are written in, in COPY order (`id` and timestamps aside).

Kept together so that deriving them from the models' own field descriptions is a change to one module.
"""

SOURCE_COLUMNS = (
    "slug title kind publisher authors dateline published_on date_precision date_inferred language url notes "
    "reported_in_id"
)
ACTOR_COLUMNS = "slug name kind country parent_id aliases description"
PLACE_COLUMNS = "slug name aliases country admin1 latitude longitude geo_precision"
EVENT_COLUMNS = (
    "slug title summary event_type sub_event_type start_date end_date date_precision place_id part_of_id "
    "fatalities_low fatalities_best fatalities_high claim_count disputed"
)
EVENT_ACTOR_COLUMNS = "event_id actor_id role"
CLAIM_COLUMNS = (
    "slug claim_type claimant_id source_id event_id about_actor_id statement quote value value_low "
    "value_high value_is_lower_bound unit made_on date_precision is_self_report status status_reason"
)
RELATION_COLUMNS = "from_claim_id to_claim_id kind note"
