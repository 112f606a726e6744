# BlocPortal — the README's commands. Everything runs through .venv/bin/...; nothing is activated.
#
#   make run     a running portal with demo data on http://127.0.0.1:8000 (another port: make run PORT=8001)
#   make test    the whole test suite (extra pytest arguments: make test PYTEST_ARGS="-k seed -x")
#
# `setup` is idempotent and quick when nothing changed: stamp files remember what was installed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# pytest-xdist processes for `make test` (auto: one per core; 0 runs in this process). A file's tests
# stay together in one process (--dist loadfile), so a module's shared fixture (the demo seed of
# tests/core/test_seed.py) is made once.
TEST_WORKERS ?= auto
PORT ?= 8000
BENCH_ROWS ?= 5000 50000
BENCH_PAGES_SCALES ?= demo province
BENCH_PAGES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blocportal_pages_bench
BENCH_MEETINGS_SCALES ?= demo province
BENCH_MEETINGS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blocportal_meetings_bench
BENCH_INSPECTIONS_SCALES ?= demo province
BENCH_INSPECTIONS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blocportal_inspections_bench
BENCH_EMULATION_SCALES ?= demo province
BENCH_EMULATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blocportal_emulation_bench
BENCH_REPORTS_SCALES ?= demo province
BENCH_REPORTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blocportal_reports_bench

PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Example production variables for `deploy-check` (the real ones are listed in README.md).
DEPLOY_ENV := DEBUG=0 \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=portal.example.org \
	CSRF_TRUSTED_ORIGINS=https://portal.example.org \
	SECURE_SSL_REDIRECT=1 \
	SECURE_HSTS_SECONDS=31536000 \
	SECURE_HSTS_PRELOAD=1 \
	SECURE_COOKIES=1 \
	BEHIND_TLS_PROXY=1

.PHONY: help setup run test lint worker beat bench messages deploy-check

help:
	@echo "make run           migrate, add the demo bloc if the database is empty, serve on http://127.0.0.1:8000 (PORT=...)"
	@echo "make test          the whole test suite, one process per core (PYTEST_ARGS=... passes arguments to pytest; TEST_WORKERS=0 runs it in one process)"
	@echo "make lint          ruff check and format, the import layers (lint-imports), manage.py check, makemigrations --check"
	@echo "make setup         .venv with the pinned dependencies, npm assets, compiled translations"
	@echo "make worker|beat   a Celery worker / the Celery beat scheduler (needs CELERY_BROKER_URL)"
	@echo "make bench         the member import, page, meetings, inspections, emulation and report benchmarks (tests/bench), written to docs/benchmarks.md"
	@echo "make messages      extract the Vietnamese catalog (locale/vi)"
	@echo "make deploy-check  manage.py check --deploy with example production variables"

setup: $(PY_STAMP) $(NPM_STAMP) $(MO_FILES)
	@$(if $(PO_FILES),,echo "No .po catalog in locale/ yet: nothing to compile.")

$(PY_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@rm -rf blocportal.egg-info  # build metadata only; the editable install does not read it
	@touch $@

$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

$(MO_FILES): %.mo: %.po | $(PY_STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media

run: export DEBUG := 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

worker: setup
	$(VENV)/bin/celery -A blocportal worker -l info --max-tasks-per-child=$${CELERY_WORKER_MAX_TASKS_PER_CHILD:-50}

beat: setup
	$(VENV)/bin/celery -A blocportal beat -l info

# The member import on a fresh SQLite file, and on PostgreSQL too when DATABASE_URL names a database
# of its own for it (e.g. postgres://postgres@127.0.0.1:5432/blocportal_bench: created and dropped).
# Then the pages, served by gunicorn with production settings, at each scale of BENCH_PAGES_SCALES
# (demo: seed_demo, 4,200 members; province: seed_bench, 100,000 members) on a PostgreSQL database
# per scale (BENCH_PAGES_DATABASE_URL + _<scale>: created and dropped). Then the meetings' figures
# (compliance_rows, the rate selectors, statistics.compute) in-process at each scale of
# BENCH_MEETINGS_SCALES, on a database of their own (BENCH_MEETINGS_DATABASE_URL + _<scale>). Then the
# case work's figures (the selectors of inspections/selectors/figures.py, the case-work sections of
# statistics.compute and compute itself) at each scale of BENCH_INSPECTIONS_SCALES, on a database of
# their own (BENCH_INSPECTIONS_DATABASE_URL + _<scale>). Then the ranking, the member rating sheet and the
# streak lists at each scale of BENCH_EMULATION_SCALES (BENCH_EMULATION_DATABASE_URL + _<scale>). Writes
# docs/benchmarks.md: each benchmark replaces its own section ("Member import", "Pages", "Meetings",
# "Inspections", "Emulation").
bench: setup
	$(PY) -m tests.bench.import_members --rows $(BENCH_ROWS)
	$(PY) -m tests.bench.pages $(addprefix --scale ,$(BENCH_PAGES_SCALES)) --database-url $(BENCH_PAGES_DATABASE_URL)
	$(PY) -m tests.bench.meetings $(addprefix --scale ,$(BENCH_MEETINGS_SCALES)) --database-url $(BENCH_MEETINGS_DATABASE_URL)
	$(PY) -m tests.bench.inspections $(addprefix --scale ,$(BENCH_INSPECTIONS_SCALES)) --database-url $(BENCH_INSPECTIONS_DATABASE_URL)
	$(PY) -m tests.bench.emulation $(addprefix --scale ,$(BENCH_EMULATION_SCALES)) --database-url $(BENCH_EMULATION_DATABASE_URL)
	$(PY) -m tests.bench.reports $(addprefix --scale ,$(BENCH_REPORTS_SCALES)) --database-url $(BENCH_REPORTS_DATABASE_URL)

messages: setup
	$(PY) manage.py makemessages -l vi -i ".venv/*" -i "node_modules/*" -i "staticfiles/*" -i "media/*" -i "tests/*"

deploy-check: setup
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
