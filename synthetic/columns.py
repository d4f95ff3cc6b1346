"""The columns each table's synthetic rows are written in, in COPY order (`id` and timestamps aside): the
models' own field lists (conflictdb/fieldlists.py), so that a row of the generator is a record as the
description orders it. Events carry their claims' summary too, which the load writes while the summary
triggers are paused. Synthetic records were never renamed: `previous_slugs` is left to its default.
"""

from django.db import models

from conflictdb.fieldlists import stored_columns
from events.models import Event


def copy_columns(model: type[models.Model]) -> list[str]:
    columns = [column for column in stored_columns(model) if column != "previous_slugs"]
    return [*columns, *(Event.SUMMARY if model is Event else ())]
