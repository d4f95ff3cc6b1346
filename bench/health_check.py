"""The cost of checking a reused connection before a request: Django's `SELECT 1` against reading the socket.

The socket read is the check a custom backend once made instead (removed: bench/baselines/health-check.md);
it stays here so that the saving can be measured again where a round trip costs more (a database on
another host). Both checks run on the same open connection to the database of DATABASE_URL, in turns
(a batch of one, then a batch of the other), so that a machine whose speed drifts drifts for both
alike. Prints, for each, the best per-check CPU and wall microseconds over the rounds, and their ratio.

    DATABASE_URL=postgres://... python bench/health_check.py --checks 2000 --rounds 10
"""

import argparse
import os
import select
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def socket_is_usable(wrapper) -> bool:
    """A connection at rest has nothing to read: a readable socket means the server closed it (or sent
    something unasked)."""
    connection = wrapper.connection
    if connection is None or connection.closed or connection.broken:
        return False
    poller = select.poll()
    try:
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False


def timed(check, checks: int) -> tuple[float, float]:
    """(CPU, wall) microseconds per call of `check`, over `checks` calls."""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(checks):
        if not check():
            raise SystemExit("the connection was found unusable")
    return (
        (time.process_time() - cpu_start) * 1e6 / checks,
        (time.perf_counter() - wall_start) * 1e6 / checks,
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checks", type=int, default=2000, help="per batch")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    checks = {
        "SELECT 1 (Django's)": connection.is_usable,
        "socket read": lambda: socket_is_usable(connection),
    }
    best = {name: (float("inf"), float("inf")) for name in checks}
    for _ in range(args.rounds):
        for name, check in checks.items():
            cpu, wall = timed(check, args.checks)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    print(f"best of {args.rounds} rounds of {args.checks} checks, microseconds per check:\n")
    print("| check | CPU µs | wall µs |")
    print("|---|---|---|")
    for name, (cpu, wall) in best.items():
        print(f"| {name} | {cpu:.1f} | {wall:.1f} |")
    (django_cpu, django_wall), (socket_cpu, socket_wall) = best.values()
    print(
        f"\nratio SELECT 1 / socket read: CPU {django_cpu / socket_cpu:.1f}, "
        f"wall {django_wall / socket_wall:.1f}"
    )


if __name__ == "__main__":
    main()
