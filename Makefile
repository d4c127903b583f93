# Breakouts — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export BREAKOUTS_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: help run test install frontend migrate demo serve lint typecheck migrations-check \
        backend-test frontend-test browser-test schema schema-check bench bench-smoke clean \
        system-packages system-writer system-fonts system-chromium system-redis system-poppler

help:
	@echo "make run    install what is needed, migrate, stage the demo meeting, serve it and print the links"
	@echo "make test   everything CI runs: lint, types, migrations check, backend, frontend and browser tests"
	@echo "make bench  the live fan-out benchmark against peer servers (minutes)"

# --- environment ------------------------------------------------------------------------------

$(BIN)/.installed: requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(BIN)/.installed

frontend/node_modules/.installed: frontend/package-lock.json
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || (echo "Node 20 or newer is needed" && exit 1)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.ts frontend/scripts frontend/package.json -type f 2>/dev/null)
	cd frontend && npm run build
	cd frontend && npm run size

frontend: frontend/dist/index.html

# System components the tests use, each found by the part actually used (Writer's module, not any
# `soffice`) and installed from Debian's packages when missing (as root; CI runs as root):
# tools/system_packages.py. Each target that needs one depends on the step that installs it.
SYSTEM_PACKAGES := $(PYTHON) tools/system_packages.py install

system-writer:
	@$(SYSTEM_PACKAGES) writer

system-fonts:
	@$(SYSTEM_PACKAGES) fonts

system-chromium:
	@$(SYSTEM_PACKAGES) chromium

system-redis:
	@$(SYSTEM_PACKAGES) redis

system-poppler:
	@$(SYSTEM_PACKAGES) poppler

system-packages: system-writer system-fonts system-chromium system-redis system-poppler

# --- run --------------------------------------------------------------------------------------

migrate: install
	$(BIN)/breakouts db upgrade

demo: migrate
	$(BIN)/breakouts demo

# The PDF export needs LibreOffice Writer: installed here when it can be (as root); otherwise the
# server still runs and answers the PDF export with 501 `pdf_unavailable` (DOCX and Markdown work).
run: install frontend migrate
	@$(SYSTEM_PACKAGES) writer fonts || echo "PDF export unavailable until LibreOffice Writer is installed: make system-writer"
	$(BIN)/breakouts demo
	$(BIN)/breakouts serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/breakouts serve --host $(HOST) --port $(PORT)

# --- test -------------------------------------------------------------------------------------

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

typecheck: install
	$(BIN)/mypy

migrations-check: install
	@rm -f var/alembic-check.db
	$(BIN)/alembic -x url=sqlite:///var/alembic-check.db upgrade head
	$(BIN)/alembic -x url=sqlite:///var/alembic-check.db check
	@rm -f var/alembic-check.db

# The backend tests run on every core, at most four workers (each has its own SQLite files and its
# own PostgreSQL database); worksteal keeps the long scale-out and report tests from queueing up.
backend-test: install system-writer system-fonts system-redis system-poppler
	$(BIN)/pytest -m "not browser" -n auto --maxprocesses 4 --dist worksteal

frontend-test: frontend/node_modules/.installed schema-check
	cd frontend && npm run check && npm test

browser-test: install frontend system-chromium system-fonts
	$(BIN)/pytest -m browser

test: lint typecheck migrations-check backend-test frontend-test browser-test

# --- protocol schema for the frontend -----------------------------------------------------------

# Writes the protocol's JSON Schema and the REST schemas, and regenerates the TypeScript types.
schema: install frontend/node_modules/.installed
	$(BIN)/python -m app.realtime.schema_export frontend/src/protocol/schema.json
	cd frontend && npm run api:export

schema-check: install
	$(BIN)/python -m app.realtime.schema_export --check frontend/src/protocol/schema.json

# --- benchmark ----------------------------------------------------------------------------------

bench: install
	$(BIN)/python -m bench.run

bench-smoke: install
	$(BIN)/python -m bench.run --smoke

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var/alembic-check.db
