"""The ids of synthetic rows, written explicitly so that rows refer to each other without reading back.

A load writes each table's ids above the largest that table has given out, then moves its identity
sequence past them (synthetic/loading.py).
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Ids:
    """`before[model]` is the id just before the first synthetic row of that model."""

    before: dict[type[models.Model], int]

    def of(self, model: type[models.Model], index: int) -> int:
        """The id of the model's row at 0-based `index` in its stream."""
        return self.before[model] + index + 1
