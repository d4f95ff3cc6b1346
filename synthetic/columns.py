"""The columns each table's synthetic rows are written in, in COPY order (`id` and timestamps aside): the
models' own field lists (conflictdb/fieldlists.py), so that a row of the generator is a record as the
description orders it. Events carry their claims' summary too, which the load writes while the summary
triggers are paused.
"""

from django.db import models

from conflictdb.fieldlists import stored_columns
from events.models import Event


def copy_columns(model: type[models.Model]) -> list[str]:
    return [*stored_columns(model), *(Event.SUMMARY if model is Event else ())]
