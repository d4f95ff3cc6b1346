"""The benchmark behind `make bench` (bench/run.py): the API on a large synthetic dataset, measured
against what PostgreSQL alone does with the same SQL."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 8  # concurrent clients, for the API (wrk) and for its ceiling (psycopg) alike
