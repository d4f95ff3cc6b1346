"""A synthetic benchmark dataset: skewed like real conflict data, deterministic for a seed, loaded by COPY.

Synthetic records are benchmark data, never facts. Every slug starts with `synthetic-`
(`conflictdb.models.SYNTHETIC_PREFIX`), every source's title says "(not real data)", every description,
summary and statement says "synthetic", and the names are made up ("Kalumbar Brigade", "Region 7 of
SYR"); only the country codes are real. They are never written to fixtures/ and never touch the curated
records, which may share the database.

Tooling, not domain: the domain apps import nothing from here. `manage.py generate_synthetic` loads or
removes the dataset; the modules, in the order a load uses them:
- randomness, frequencies, names: seeded streams, how often each value comes up, made-up names;
- world: the countries, sources, actors and places the events draw on;
- plan: the events, block by block (types, dates, places, actors, how many claims, which disagree);
- event_rows, claim_rows, columns, synthesis: each table's rows, in COPY column order;
- tables, loading, removal: writing them by COPY with the history's triggers ignored, and deleting them
  (and their versions) again;
- history, generations: with `--history`, their versions written in bulk, and generations of curators'
  edits, each committed on its own.
"""
