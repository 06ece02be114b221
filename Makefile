# Pollstr: two-factor authentication for a GraphQL API on Django.
#   make run    serve http://localhost:8000/ on the embedded defaults (localhost, not
#               127.0.0.1: browsers refuse passkeys on an IP address)
#   make test   run the whole test suite
#   make lint   ruff check and format check
#   make schema regenerate schema.graphql (SDL) after changing the API
#   make serve  production serving: gunicorn, DEBUG off (needs SECRET_KEY; see README)
#   make bench  benchmarks, written to docs/benchmarks.md

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Development settings for `make run` only; production sets its own environment.
RUN_ENV := DEBUG=1 SECRET_KEY=development-only-insecure-key-for-make-run

.PHONY: run serve bench test lint format venv vendor clients codegen node-deps schema migrate seed clean

# Browser assets (GraphiQL, React) come from the npm registry at setup time,
# pinned by web/package-lock.json, and are served by this server: no CDN.
VENDOR := web/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed
VENDOR_FILES := web/node_modules/react/umd/react.production.min.js \
	web/node_modules/react-dom/umd/react-dom.production.min.js \
	web/node_modules/graphiql/graphiql.min.js \
	web/node_modules/graphiql/graphiql.min.css

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

vendor: $(VENDOR_STAMP)

$(VENDOR_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install GraphiQL's assets (web/package.json)" >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp $(VENDOR_FILES) $(VENDOR)/
	touch $@

# The client tests' packages (Apollo Client, graphql-request, playwright-core,
# graphql-codegen, TypeScript), pinned by tests/clients/package-lock.json.
# Without npm, those tests are skipped.
CLIENTS_STAMP := tests/clients/node_modules/.installed

clients: $(CLIENTS_STAMP)

$(CLIENTS_STAMP): tests/clients/package.json tests/clients/package-lock.json
	npm ci --prefix tests/clients --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# TypeScript types for the README's operations (tests/clients/codegen.yml), from
# schema.graphql, then `tsc --strict` over a client using them (tests/clients/typed/).
codegen: $(CLIENTS_STAMP)
	cd tests/clients && node_modules/.bin/graphql-codegen --config codegen.yml
	cd tests/clients && node_modules/.bin/tsc -p tsconfig.json --strict

# Node and npm are optional for the Python suite: install what the client and
# browser tests need when npm is here, and say so when it is not.
node-deps:
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory vendor clients; \
	else \
		echo "npm not found: the Apollo Client and browser tests will be skipped"; \
	fi
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || \
		echo "chromium not found at $${CHROMIUM:-/usr/bin/chromium}: the browser test will be skipped (apt-get install chromium)"

schema: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py graphql_schema --out schema.graphql

# Benchmarks (a harness, not a test): writes docs/benchmarks.md. Rows 3, 6 and 7
# need PostgreSQL and Redis on 127.0.0.1 (BENCH_PG_ADMIN_URL, BENCH_PG_DB,
# BENCH_REDIS_URL). The DRF peer's packages are bench-only (bench/requirements.txt).
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench: $(BENCH_STAMP) vendor
	$(BIN)/python -m bench.run $(BENCH_ARGS)

migrate: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: seed vendor
	@echo "Open http://localhost:$(PORT)/ (passkeys need localhost, not 127.0.0.1)"
	$(RUN_ENV) WEBAUTHN_ALLOWED_ORIGINS=http://localhost:$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production serving on this machine: gunicorn (config/gunicorn.conf.py: BIND,
# WEB_CONCURRENCY, ...), DEBUG off, static files through whitenoise. The
# environment must provide SECRET_KEY (and on plain-HTTP loopback
# SECURE_SSL_REDIRECT=0); see the README's deployment section.
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: $(STAMP) vendor
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level ERROR
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 WHITENOISE_USE_FINDERS=0 exec $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi:application

test: $(STAMP) node-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache web/node_modules $(VENDOR) tests/clients/node_modules artifacts
