"""The curated dataset: the JSON files under fixtures/, loaded into the database and written back.

`load` validates every record through the API's write serializers and saves it through the same code
the API saves with, all in one transaction that is rolled back if any record is rejected; `export`
writes the database back in the same format, so that load followed by export of the shipped fixtures
is byte-identical. The format is described in fixtures/README.md.
"""

from events.dataset.exporting import export
from events.dataset.loading import load
from events.dataset.reading import DatasetError, Rejection

__all__ = ["DatasetError", "Rejection", "export", "load"]
