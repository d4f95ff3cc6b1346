# ConflictDB: `make run` serves the API with the curated dataset; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrations-check db-stop clean

# The virtualenv is rebuilt only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_dataset
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(PY) -m pytest

# Stops the embedded PostgreSQL server (it otherwise keeps running between commands).
db-stop: install
	$(PY) -c "import conflictdb.embedded as e, pathlib; e.stop_server(pathlib.Path('.pgdata'))"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
