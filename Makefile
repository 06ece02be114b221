# Pollstr: two-factor authentication for a GraphQL API on Django.
#   make run    serve the app at http://localhost:8000/ (and /graphql, /admin/, /dev/outbox) for development;
#               PORT=8001 HOST=0.0.0.0 make run to choose where
#   make reset-demo  put the demo user and poll back as `make run` first made them
#   make web-dev  the app's Vite dev server (hot reload), /graphql proxied to PORT
#   make test   run the whole test suite
#   make lint   ruff check and format check
#   make schema regenerate schema.graphql (SDL) after changing the API
#   make messages refresh the translation catalogs (locale/) after changing a message
#   make serve  production serving: gunicorn, DEBUG off (needs SECRET_KEY; see README)
#   make bench  benchmarks, written to docs/benchmarks.md

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Development settings for `make run` only; production sets its own environment.
# The console provider also writes each code to OUTBOX (shown at /dev/outbox),
# and the send limits fit a person trying the flows all afternoon.
OUTBOX := var/outbox.jsonl
DEV_LIMITS := TWOFA_SEND_LIMIT_PER_PHONE=100 TWOFA_ENROLL_SEND_LIMIT_PER_USER=100 \
	TWOFA_SEND_LIMIT_PER_USER=200 TWOFA_SEND_LIMIT_PER_IP=500 TWOFA_RESEND_COOLDOWN=5 \
	REGISTER_LIMIT_PER_IP=100
RUN_ENV = DEBUG=1 SECRET_KEY=development-only-insecure-key-for-make-run \
	ALLOWED_HOSTS=$(RUN_ALLOWED_HOSTS) TWOFA_CONSOLE_OUTBOX=$(OUTBOX) $(DEV_LIMITS)

# The address to open: a host name, not an IP, since passkeys (WebAuthn) need one.
RUN_HOSTNAME := $(if $(filter 127.0.0.1 0.0.0.0 :: ::1 localhost,$(HOST)),localhost,$(HOST))
RUN_URL := http://$(RUN_HOSTNAME):$(PORT)
# DEBUG admits 127.0.0.1 and localhost; a HOST that is a name is admitted too.
# ALLOWED_HOSTS from the environment, when set, wins.
comma := ,
RUN_DEFAULT_HOSTS := 127.0.0.1,localhost$(if $(filter-out localhost,$(RUN_HOSTNAME)),$(comma)$(RUN_HOSTNAME))
RUN_ALLOWED_HOSTS ?= $(if $(ALLOWED_HOSTS),$(ALLOWED_HOSTS),$(RUN_DEFAULT_HOSTS))

.PHONY: run urls reset-demo serve bench test lint format venv vendor clients codegen node-deps schema messages migrate seed clean app app-deps web-dev

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

# The app at / (spa/): React, Apollo Client and Vite, pinned by
# spa/package-lock.json. Built once into web/static/app/ (not committed) and
# again only when its sources, its lockfile or schema.graphql change: codegen
# types its operations from the schema, then Vite writes the hashed files and
# the manifest web/views.py reads.
APP_DEPS_STAMP := spa/node_modules/.installed
APP_STAMP := web/static/app/.built
APP_SOURCES := $(shell find spa/src spa/index.html spa/vite.config.ts spa/codegen.ts spa/tsconfig.json \
	-type f -not -path 'spa/src/generated/*' 2>/dev/null) schema.graphql
WEB_DEV_PORT ?= 5173

app-deps: $(APP_DEPS_STAMP)

$(APP_DEPS_STAMP): spa/package.json spa/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the app (spa/package.json)" >&2; exit 1; }
	npm ci --prefix spa --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

app: $(APP_STAMP)

$(APP_STAMP): $(APP_DEPS_STAMP) $(APP_SOURCES)
	cd spa && node_modules/.bin/graphql-codegen --config codegen.ts --silent
	cd spa && node_modules/.bin/vite build --logLevel warn
	touch $@

# Vite's dev server for working on the app: http://HOST:WEB_DEV_PORT/, with
# /graphql (and /dev/) passed to the Django server of `make run` on PORT.
web-dev: $(APP_DEPS_STAMP)
	cd spa && node_modules/.bin/graphql-codegen --config codegen.ts --silent
	cd spa && POLLSTR_API=http://$(HOST):$(PORT) exec node_modules/.bin/vite --host $(HOST) --port $(WEB_DEV_PORT) --strictPort

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
		$(MAKE) --no-print-directory vendor clients app; \
	else \
		echo "npm not found: the app is not built; the Apollo Client and browser tests will be skipped"; \
	fi
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || \
		echo "chromium not found at $${CHROMIUM:-/usr/bin/chromium}: the browser test will be skipped (apt-get install chromium)"

schema: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py graphql_schema --out schema.graphql

# The .po of every language but the default, from the source's gettext calls
# (translations kept, new messages left empty for a translator), then the .mo,
# compiled with polib: no gettext tools needed (core/messages.py).
messages: $(STAMP)
	$(RUN_ENV) $(BIN)/python -m core.messages

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
	@mkdir -p $(dir $(OUTBOX))
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: seed vendor app
	@$(MAKE) --no-print-directory urls
	$(RUN_ENV) WEBAUTHN_ALLOWED_ORIGINS=$(RUN_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

urls:
	@echo "Serving on $(HOST):$(PORT):"
	@echo "  $(RUN_URL)/            the app"
	@echo "  $(RUN_URL)/graphql     GraphiQL (a tab per step of the flow)"
	@echo "  $(RUN_URL)/admin/      the staff admin"
	@echo "  $(RUN_URL)/dev/outbox  the codes \"sent\" by the console provider (development only)"

reset-demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --reset

# Production serving on this machine: gunicorn (config/gunicorn.conf.py: BIND,
# WEB_CONCURRENCY, ...), DEBUG off, static files through whitenoise. The
# environment must provide SECRET_KEY (and on plain-HTTP loopback
# SECURE_SSL_REDIRECT=0); see the README's deployment section.
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: $(STAMP) vendor app
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
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache web/node_modules $(VENDOR) tests/clients/node_modules spa/node_modules spa/src/generated web/static/app artifacts
