# Szkolenia ROPS: `make run` serves the site with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
LOCK := requirements/lock.txt
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install install-test lock run serve migrate demo messages test test-fast lint format bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the versions (and files, by hash) of the lock; the project itself without
# resolving anything. `pip check` fails when pyproject.toml wants what the lock lacks.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the locked versions

lock: | $(BIN)/python ## Re-resolve pyproject.toml into requirements/lock.txt (LOCK_ARGS="--upgrade")
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o $(LOCK) $(LOCK_ARGS)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

/usr/bin/chromium:
	@if [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; \
	fi

install-test: install node_modules/axe-core/axe.min.js /usr/bin/chromium ## Install what the tests need

messages: install ## Compile the translations
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	$(MANAGE) migrate --noinput -v 0

demo: migrate ## Load the demo accounts and pages (idempotent)
	$(MANAGE) load_demo_data

run: messages demo ## Set everything up and serve HTTP and websockets at http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-test messages ## Run the whole test suite, browser tests included
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install ## ruff, formatting, mypy, migrations and Django checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy courses certificates evaluation cms
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install messages ## Benchmarks (PostgreSQL via DATABASE_URL); results in bench-results.json
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

clean: ## Remove the virtual environment, database, media and caches
	rm -rf $(VENV) node_modules db.sqlite3* media staticfiles .screenshots
