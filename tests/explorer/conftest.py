import pghistory
import pytest
from django.conf import settings
from django.db import transaction

from events.dataset import load


@pytest.fixture(scope="module")
def curated_data(django_db_setup, django_db_blocker):
    """The shipped dataset, loaded once per module as manage.py load_dataset would, in a transaction
    that each test's own (a savepoint within it) leaves as it was and that ends rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        with pghistory.context(command="load_dataset"):
            load([settings.BASE_DIR / "fixtures"])
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curated(curated_data, db):
    """The shipped dataset, for a test of the database."""
