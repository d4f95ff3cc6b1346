"""Seeded random streams and skewed draws: what makes the synthetic dataset the same for the same seed.

Each part of the dataset draws from its own stream, seeded by (seed, stream, block), so that a part can be
derived again, alone, without replaying the others.
"""

import random
from bisect import bisect_right
from datetime import date


def rng_for(seed: int, stream: str, block: int = 0) -> random.Random:
    # A string seed is hashed with SHA-512: the same streams on every run and platform.
    return random.Random(f"{seed}:{stream}:{block}")


class Weighted:
    """Draws one of `values` with the given relative weights."""

    def __init__(self, weighted: dict):
        self.values = list(weighted)
        self.cumulative, total = [], 0.0
        for weight in weighted.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        index = bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


class Skewed(Weighted):
    """Draws an index below `n`, index i with weight 1/(i+1)**s: a few very frequent, a long tail."""

    def __init__(self, n: int, s: float = 1.1):
        super().__init__({i: 1 / (i + 1) ** s for i in range(n)})


# The period every synthetic date falls in, as date ordinals.
FIRST_DAY = date(2010, 1, 1).toordinal()
LAST_DAY = date(2025, 12, 31).toordinal()


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()
