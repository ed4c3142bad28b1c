# Difference: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker install setup demo serve screenshots test test-fast lint format typecheck check bench audit clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

setup: install
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: setup
	$(MANAGE) load_demo

# The web server and one background worker; Ctrl-C stops both (the worker finishes its current job first).
run: demo
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(MANAGE) run_worker & worker=$$!; \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: setup
	$(MANAGE) run_worker

serve: setup
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3

# Pictures of the demo's main pages for a reviewer, in var/screenshots/ (needs /usr/bin/chromium and pdftoppm).
screenshots: demo
	$(MANAGE) screenshots --out var/screenshots

test: install
	mkdir -p var
	$(BIN)/pytest

# The suite without the browser tests and the tests that read whole shipped DfE files.
test-fast: install
	mkdir -p var
	$(BIN)/pytest -m "not browser and not dfe_files"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy difference config

check: lint typecheck
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

bench: install
	$(PY) -m bench

audit: install
	$(BIN)/pip install --quiet pip-audit && $(BIN)/pip-audit -r requirements/base.txt

clean:
	rm -rf $(VENV) var
