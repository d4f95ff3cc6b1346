"""Which state of the records a read shows: as they are, at a release (`?release=`), or as of a moment
(`?as_of=`).

A read of the past runs in one transaction whose `search_path` puts the views of the past first
(conflictdb/past_tables.py), its point in a transaction-local setting the views read: the same statements
as a live read, over the records at the point. A release's point is its snapshot (exact); a moment's is
the versions written before it (conflictdb/past.py). A moment later than now is refused, as its answer
would still change; a moment before the first version is the empty state, which it truly was.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import TooManyFieldsSent
from django.db import connections, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from conflictdb import parameters
from conflictdb.past import Point
from conflictdb.repeated import ONE_VALUE_ONLY

PARAMETERS = ("release", "as_of")
HEADER = "Data-State"

# The state the running read shows (its `cache_key`), for what is cached by the SQL, which is the same
# at every point (conflictdb/counting.py).
shown: ContextVar[str | None] = ContextVar("shown", default=None)


@dataclass(frozen=True)
class State:
    """A point of the history a read shows: a release's (named) or a moment's."""

    point: Point
    release: str | None
    moment: datetime  # the release's time, or the moment asked for

    @property
    def schema(self) -> str:
        return "past_snapshot" if self.point.snapshot is not None else "past_moment"

    def describe(self) -> dict:
        """The state as a list's envelope gives it."""
        return {"release": self.release, "as_of": self.moment.isoformat().replace("+00:00", "Z")}

    def header(self) -> str:
        """The state as the Data-State header gives it."""
        return "; ".join(f"{name}={value}" for name, value in self.describe().items() if value is not None)

    def cache_key(self) -> str:
        return f"release:{self.point.snapshot}" if self.release else f"moment:{self.moment.isoformat()}"

    def enter(self, using: str) -> None:
        """From now to the end of the transaction on `using`, read the records at the point."""
        setting, value = (
            ("conflictdb.snapshot", self.point.snapshot)
            if self.point.snapshot is not None
            else ("conflictdb.moment", self.point.moment.isoformat())
        )
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('search_path', %s, true), set_config(%s, %s, true)",
                [f"{self.schema}, public", setting, value],
            )

    def streamed(self, lines, using: str):
        """`lines` (of an export, read after the view has returned) read at the point."""
        with transaction.atomic(using=using), showing(self):
            self.enter(using)
            yield from lines


def past() -> bool:
    """Whether the running read shows a point of the past (not the records as they are)."""
    return shown.get() is not None


def unchanging() -> bool:
    """Whether the running read shows a release's records, which never change."""
    return (shown.get() or "").startswith("release:")


@contextmanager
def showing(state: "State | None"):
    token = shown.set(state.cache_key() if state is not None else None)
    try:
        yield
    finally:
        shown.reset(token)


def asks_for_past(request) -> bool:
    """Whether the request names a point (read before the view, so a query too long to read is left for
    the view to answer with its 400 problem)."""
    try:
        return any(name in request.GET for name in PARAMETERS)
    except TooManyFieldsSent:
        return False


def requested_state(request) -> State | None:
    """The state `request` asks to read (None: the records as they are), its parameters checked: one of
    `release` (a release's name) and `as_of` (an ISO 8601 instant, UTC when it names no zone), for reads."""
    params = request.query_params
    given = [name for name in PARAMETERS if name in params]
    if not given:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        raise ValidationError(
            {name: ["Writes change the records as they are: drop this parameter."] for name in given}
        )
    repeated = [name for name in given if len(params.getlist(name)) > 1]
    if repeated:
        raise ValidationError({name: [ONE_VALUE_ONLY] for name in repeated})
    if len(given) > 1:
        raise ValidationError({name: ["Give `release` or `as_of`, not both."] for name in given})
    if "release" in params:
        name = params["release"]
        release = apps.get_model("releases", "Release").objects.filter(name=name).first()
        if release is None:
            raise NotFound(f"No release named {name!r}.")
        return State(Point(snapshot=release.snapshot), release.name, release.created_at)
    try:
        moment = parameters.utc_datetime(params["as_of"], naive_is_utc=True)
    except ValueError as exc:
        raise ValidationError({"as_of": [str(exc)]}) from None
    if moment > timezone.now():
        raise ValidationError({"as_of": ["Must not be in the future: the records then are not known yet."]})
    return State(Point(moment=moment), None, moment)
