# culture.data.gouv.fr — every command the project needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
LISTEN_HOST ?= 127.0.0.1
WEB_CONCURRENCY ?= 2
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run serve prepare sync test lint fmt check clean bench screenshots

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed ## Create .venv and install the pinned dependencies

.env:
	@echo "Creating .env from .env.example with a fresh SECRET_KEY"
	@sed "s|^SECRET_KEY=.*|SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')|" .env.example > .env

prepare: install .env ## Migrate, collect static files, sync the catalogue if empty or older than a day
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) ensure_catalog

run: prepare serve ## Set everything up and serve the site with gunicorn on $(LISTEN_HOST):$(PORT)

serve:
	@echo "Serving on http://$(LISTEN_HOST):$(PORT)/"
	$(BIN)/gunicorn culture_portal.wsgi --config python:culture_portal.gunicorn_conf \
		--bind $(LISTEN_HOST):$(PORT) --workers $(WEB_CONCURRENCY) --access-logfile -

sync: install .env ## Sync the catalogue from data.gouv.fr now
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) sync_catalog

test: install ## Run the test suite
	$(BIN)/python -m pytest

screenshots: install ## Photograph the main pages (1280 and 375 px wide) into docs/screenshots/ for the README
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider

lint: install ## Lint Python and templates
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

fmt: install ## Format Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install .env ## Django system checks and missing migrations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: install ## Benchmark sync, pages and throughput on synthetic catalogues (BENCH_SIZES=1000,10000,60000)
	@command -v wrk >/dev/null || apt-get install -y wrk || { apt-get update && apt-get install -y wrk; } \
		|| echo "wrk could not be installed: the throughput part will be skipped"
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || apt-get install -y nginx-light \
		|| { apt-get update && apt-get install -y nginx-light; } \
		|| echo "nginx could not be installed: the abuse part behind the proxy will be skipped"
	BENCH_SIZES="$(BENCH_SIZES)" $(BIN)/python -m bench.run

clean: ## Remove the virtualenv, collected static files and caches
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
