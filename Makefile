# ConflictDB: `make run` serves the API with the curated dataset; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve bench test lint migrations-check openapi browser assets db-stop clean

# The virtualenv is rebuilt only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

# migrate runs as the tables' owner (the embedded server's superuser, or DATABASE_OWNER_URL) and grants the
# servers' own role (creating it on the embedded server); runserver and gunicorn connect as it (docs/security.md).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_dataset
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn (sync workers, reused database connections) with whitenoise serving static files.
# Needs DJANGO_DEBUG=false, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see the README).
WORKERS ?= 4
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn conflictdb.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 300 --access-logfile -

# A million synthetic events (built once, in the bench's own database), the API under gunicorn driven by
# wrk, the same SQL straight through psycopg, a whole-table CSV export: bench/results/<time>.md and .json.
# BENCH_DATABASE_URL picks the PostgreSQL server; without it an embedded one under .pgdata-bench/.
# ONLY=pages (or scale, aggregates, caching, explorer) measures those scenarios alone (bench/run.py).
EVENTS ?= 1000000
SECONDS ?= 10
ONLY ?=
bench: install
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) || \
	  (echo "wrk is needed: install it (Debian: apt-get install wrk)"; exit 1)
	$(PY) -m bench.run --events $(EVENTS) --seconds $(SECONDS) $(if $(ONLY),--only $(ONLY))

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# docs/openapi.yaml, the schema /api/schema/ serves, written from the code (the same every time); a test
# fails when the two differ, so that the committed contract follows every change of the API.
openapi: install
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

# Debian's Chromium and its driver, for the admin's end-to-end test (skipped where they cannot be had).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	   apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	  echo "chromium and chromedriver are not installed: the browser test will be skipped"

# The explorer's built files (explorer/static/explorer/: the countries' outlines, its script), rebuilt from
# frontend/ with the packages package-lock.json pins; they are committed, so `make run` needs no Node.js.
# axe-core, for the explorer's accessibility test, comes with them (frontend/node_modules/).
assets:
	cd frontend && npm ci --no-audit --no-fund && npm run build

test: lint migrations-check browser
	$(PY) -m pytest

# Stops the embedded PostgreSQL server (it otherwise keeps running between commands).
db-stop: install
	$(PY) -c "import conflictdb.embedded as e, pathlib; e.stop_server(pathlib.Path('.pgdata'))"

clean:
	rm -rf $(VENV) .venv-tools .pytest_cache .ruff_cache frontend/node_modules
