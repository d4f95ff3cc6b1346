"""The vocabulary columns (an actor's kind, a claim's type and grade, an event's type and sub-type) keep a
plain B-tree and lose the pattern-matching twin (varchar_pattern_ops) of `db_index=True`: no query matches
them as a pattern, and each twin cost its share of every write and load (conflictdb.models.vocabulary_index).
The plain indexes are renamed, not built again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0019_statement_triggers_compare_rows_as_sets"),
        ("sources", "0008_vocabulary_indexes_without_pattern_twins"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX events_actor_kind_703b92d0_like",
                        "ALTER INDEX events_actor_kind_703b92d0 RENAME TO actor_kind",
                        "DROP INDEX events_claim_claim_type_768b880b_like",
                        "ALTER INDEX events_claim_claim_type_768b880b RENAME TO claim_claim_type",
                        "DROP INDEX events_claim_status_40251962_like",
                        "ALTER INDEX events_claim_status_40251962 RENAME TO claim_status",
                        "DROP INDEX events_event_event_type_7337261e_like",
                        "ALTER INDEX events_event_event_type_7337261e RENAME TO event_event_type",
                        "DROP INDEX events_event_sub_event_type_e18e7a21_like",
                        "ALTER INDEX events_event_sub_event_type_e18e7a21 RENAME TO event_sub_event_type",
                    ],
                    reverse_sql=[
                        "ALTER INDEX actor_kind RENAME TO events_actor_kind_703b92d0",
                        'CREATE INDEX events_actor_kind_703b92d0_like ON events_actor ("kind" varchar_pattern_ops)',
                        "ALTER INDEX claim_claim_type RENAME TO events_claim_claim_type_768b880b",
                        'CREATE INDEX events_claim_claim_type_768b880b_like ON events_claim ("claim_type" varchar_pattern_ops)',
                        "ALTER INDEX claim_status RENAME TO events_claim_status_40251962",
                        'CREATE INDEX events_claim_status_40251962_like ON events_claim ("status" varchar_pattern_ops)',
                        "ALTER INDEX event_event_type RENAME TO events_event_event_type_7337261e",
                        'CREATE INDEX events_event_event_type_7337261e_like ON events_event ("event_type" varchar_pattern_ops)',
                        "ALTER INDEX event_sub_event_type RENAME TO events_event_sub_event_type_e18e7a21",
                        'CREATE INDEX events_event_sub_event_type_e18e7a21_like ON events_event ("sub_event_type" varchar_pattern_ops)',
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="actor",
                    name="kind",
                    field=models.CharField(
                        choices=[
                            ("state", "State"),
                            ("government_body", "Government body (ministry, agency)"),
                            ("armed_force", "State armed force"),
                            ("armed_group", "Non-state armed group"),
                            ("coalition", "Coalition"),
                            ("person", "Person"),
                            ("ngo", "Non-governmental organisation"),
                            ("media", "Media organisation"),
                            ("international_organisation", "International organisation"),
                            ("collective", "Collective (civilians, rebels, ...)"),
                            ("other", "Other"),
                        ],
                        max_length=32,
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="claim_type",
                    field=models.CharField(
                        choices=[
                            ("casualty_count", "Casualty count"),
                            ("target_identity", "Target identity"),
                            ("strike_report", "Strike report"),
                            ("attribution", "Attribution"),
                            ("denial", "Denial"),
                            ("assessment", "Assessment"),
                            ("intent", "Stated intent or motive"),
                            ("control", "Territorial control"),
                            ("condemnation", "Condemnation"),
                            ("other", "Other"),
                        ],
                        max_length=32,
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("unverified", "Unverified"),
                            ("corroborated", "Corroborated"),
                            ("contested", "Contested"),
                            ("discounted", "Discounted"),
                        ],
                        default="unverified",
                        max_length=16,
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="event_type",
                    field=models.CharField(
                        choices=[
                            ("battles", "Battles"),
                            ("explosions_remote_violence", "Explosions/Remote violence"),
                            ("violence_against_civilians", "Violence against civilians"),
                            ("protests", "Protests"),
                            ("riots", "Riots"),
                            ("strategic_developments", "Strategic developments"),
                        ],
                        max_length=40,
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="sub_event_type",
                    field=models.CharField(
                        blank=True,
                        choices=[
                            ("armed_clash", "Armed clash"),
                            ("government_regains_territory", "Government regains territory"),
                            ("non_state_actor_overtakes_territory", "Non-state actor overtakes territory"),
                            ("chemical_weapon", "Chemical weapon"),
                            ("air_drone_strike", "Air/drone strike"),
                            ("suicide_bomb", "Suicide bomb"),
                            ("shelling_artillery_missile_attack", "Shelling/artillery/missile attack"),
                            ("remote_explosive_landmine_ied", "Remote explosive/landmine/IED"),
                            ("grenade", "Grenade"),
                            ("sexual_violence", "Sexual violence"),
                            ("attack", "Attack"),
                            ("abduction_forced_disappearance", "Abduction/forced disappearance"),
                            ("peaceful_protest", "Peaceful protest"),
                            ("protest_with_intervention", "Protest with intervention"),
                            ("excessive_force_against_protesters", "Excessive force against protesters"),
                            ("violent_demonstration", "Violent demonstration"),
                            ("mob_violence", "Mob violence"),
                            ("agreement", "Agreement"),
                            ("arrests", "Arrests"),
                            ("change_to_group_activity", "Change to group/activity"),
                            ("disrupted_weapons_use", "Disrupted weapons use"),
                            ("headquarters_or_base_established", "Headquarters or base established"),
                            ("looting_property_destruction", "Looting/property destruction"),
                            ("non_violent_transfer_of_territory", "Non-violent transfer of territory"),
                            ("other", "Other"),
                        ],
                        max_length=40,
                    ),
                ),
                migrations.AddIndex(
                    model_name="actor",
                    index=models.Index(fields=["kind"], name="actor_kind"),
                ),
                migrations.AddIndex(
                    model_name="claim",
                    index=models.Index(fields=["claim_type"], name="claim_claim_type"),
                ),
                migrations.AddIndex(
                    model_name="claim",
                    index=models.Index(fields=["status"], name="claim_status"),
                ),
                migrations.AddIndex(
                    model_name="event",
                    index=models.Index(fields=["event_type"], name="event_event_type"),
                ),
                migrations.AddIndex(
                    model_name="event",
                    index=models.Index(fields=["sub_event_type"], name="event_sub_event_type"),
                ),
            ],
        )
    ]
