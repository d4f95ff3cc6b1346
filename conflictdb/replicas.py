"""Streaming replicas of the primary (DATABASE_REPLICA_URLS): which may serve a read now, and in turn.

A replica is usable when it answers, is still a standby (`pg_is_in_recovery()`), and lags the primary by
at most settings.REPLICA_MAX_LAG_SECONDS. Each process checks each replica at most once every
CHECK_SECONDS, when a request first needs one, and believes the verdict until then; a replica that did
not answer is not asked again for DOWN_SECONDS, so that a lost replica costs one failed connection per
process every few seconds, not one per request.

How far behind a replica is, measured so that it is never underestimated (read-your-writes rests on it,
conflictdb/routing.py): the replica is fresh as of a moment T when every transaction the primary had
committed by T has been replayed on it. Two moments are known to qualify:
- the commit time of the last transaction it replayed (`pg_last_xact_replay_timestamp()`, the primary's
  clock): transactions commit in the order of their WAL records;
- the time of a sample of the primary's WAL position (`pg_current_wal_flush_lsn()`, taken before the
  replica is asked) that the replica has replayed up to: a transaction that had committed by then lies
  below it (a commit is answered once its WAL is flushed, with PostgreSQL's default synchronous_commit).
The second covers an idle primary, whose last commit may be long ago while the replica lags by nothing.
Its lag is then the primary's present time (the last sample's, advanced by this process's clock) less
the later of the two. When the primary cannot be sampled (it is down), the samples age and the replicas
are given up on once the bound has passed: reads then go to the primary, and fail with it.
"""

import itertools
import logging
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

CHECK_SECONDS = 1.0
DOWN_SECONDS = 5.0
# The primary's WAL position in bytes, and its clock; then the replica's state. LSNs are subtracted from
# '0/0' to compare as numbers.
PRIMARY_POSITION = "SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn, clock_timestamp()"
REPLICA_POSITION = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() - '0/0'::pg_lsn, pg_last_xact_replay_timestamp()"
)


@dataclass(frozen=True)
class Sample:
    """The primary's WAL insert position at `at` (its clock), taken at `monotonic` (this process's)."""

    lsn: int
    at: datetime
    monotonic: float


def lag_seconds(samples, replayed_lsn: int | None, replayed_at: datetime | None, now: float) -> float:
    """How far behind the primary a replica is, never less than it really is (the module's docstring):
    its replay position and last replayed commit time against `samples` of the primary, at `now`
    (time.monotonic()). Infinite when nothing shows it has replayed anything."""
    fresh_as_of = replayed_at
    if replayed_lsn is not None:
        for sample in samples:
            if sample.lsn <= replayed_lsn and (fresh_as_of is None or sample.at > fresh_as_of):
                fresh_as_of = sample.at
    if fresh_as_of is None or not samples:
        return float("inf")
    latest = max(samples, key=lambda sample: sample.monotonic)
    primary_now = latest.at + timedelta(seconds=now - latest.monotonic)
    return max(0.0, (primary_now - fresh_as_of).total_seconds())


@dataclass
class Verdict:
    usable: bool
    until: float  # monotonic time when the replica is checked again
    reason: str = ""


class Replicas:
    """This process's knowledge of the replicas, and the turn of the round robin."""

    def __init__(self, aliases: list[str], max_lag: float):
        self.aliases = list(aliases)
        self.max_lag = max_lag
        # Enough samples to cover the lag bound: an older one can no longer make a replica usable.
        self.samples: deque[Sample] = deque(maxlen=int(max_lag / CHECK_SECONDS) + 3)
        self.verdicts: dict[str, Verdict] = {}
        self.primary_away_until = 0.0
        self.lock = threading.Lock()
        # Each process starts at a replica of its own, so that a fleet's workers do not all begin on one.
        self.turn = itertools.count(random.randrange(max(len(self.aliases), 1)))

    def choose(self) -> str | None:
        """The replica to serve the next request's reads, in turn among the usable ones; None when none is
        usable (the primary serves)."""
        usable = [alias for alias in self.aliases if self.usable(alias)]
        if not usable:
            return None
        return usable[next(self.turn) % len(usable)]

    def usable(self, alias: str) -> bool:
        now = time.monotonic()
        with self.lock:
            verdict = self.verdicts.get(alias)
            if verdict is None or now >= verdict.until:
                verdict = self.check(alias, now)
                self.record(alias, verdict)
            return verdict.usable

    def record(self, alias: str, verdict: Verdict) -> None:
        before = self.verdicts.get(alias)
        self.verdicts[alias] = verdict
        if before is None or before.usable != verdict.usable:
            if verdict.usable:
                logger.info("replica %s serves reads", alias)
            else:
                logger.warning("replica %s is skipped: %s", alias, verdict.reason)

    def usable_now(self, alias: str) -> bool:
        """Check `alias` again at once (it failed in a request); the verdict stands like any other."""
        now = time.monotonic()
        with self.lock:
            verdict = self.check(alias, now)
            self.record(alias, verdict)
        return verdict.usable

    def sample_primary(self, now: float) -> None:
        recent = self.samples and now - self.samples[-1].monotonic < CHECK_SECONDS
        if recent or now < self.primary_away_until:
            return
        try:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(PRIMARY_POSITION)
                lsn, at = cursor.fetchone()
        except DatabaseError:
            # The primary is away: the samples age, and the replicas with them. It is asked again in a
            # while, not at every check, as each attempt may wait for the connection's timeout.
            connections[DEFAULT_DB_ALIAS].close()
            self.primary_away_until = now + DOWN_SECONDS
            return
        self.samples.append(Sample(int(lsn), at, now))

    def check(self, alias: str, now: float) -> Verdict:
        self.sample_primary(now)
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(REPLICA_POSITION)
                standby, replayed_lsn, replayed_at = cursor.fetchone()
        except DatabaseError as exc:
            connections[alias].close()
            return Verdict(False, now + DOWN_SECONDS, f"it does not answer ({exc})".strip())
        if not standby:
            # Promoted, or not a replica at all: it no longer follows the primary, whatever it holds.
            return Verdict(False, now + CHECK_SECONDS, "it is not a standby (pg_is_in_recovery() is false)")
        lag = lag_seconds(self.samples, None if replayed_lsn is None else int(replayed_lsn), replayed_at, now)
        if lag > self.max_lag:
            return Verdict(False, now + CHECK_SECONDS, f"it lags by {lag:.1f} s, beyond {self.max_lag:g} s")
        return Verdict(True, now + CHECK_SECONDS)


_replicas: Replicas | None = None


def replicas() -> Replicas:
    """This process's Replicas, made at first use from the settings."""
    global _replicas
    if _replicas is None:
        _replicas = Replicas(settings.DATABASE_REPLICAS, settings.REPLICA_MAX_LAG_SECONDS)
    return _replicas
