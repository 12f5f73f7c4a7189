# partybuild: every target runs inside .venv, which `make install` creates from requirements-dev.lock (the runtime
# requirements.lock plus the test and lint tools; the image installs requirements.lock only).
# Quick start on a fresh Debian machine with Python 3.11: `make run`, then `make test`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --no-input
MANAGE := $(PY) manage.py
PORT   ?= 8000
# `make run HOST=0.0.0.0` serves the other PCs of the LAN too (the demo server: DEBUG on, not for production).
HOST   ?= 127.0.0.1
# The interpreter that creates .venv: python3.11 when it exists, else python3 (checked to be 3.11 below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)

# The locks are authoritative. The stamp is keyed on their hash, so `make install` is a no-op until one changes.
LOCKS     := requirements.lock requirements-dev.lock
LOCK_HASH := $(shell cat $(LOCKS) | sha256sum | cut -c1-16)
STAMP     := $(VENV)/.partybuild-lock-$(LOCK_HASH)

# Debian packages. WeasyPrint: pango and fonts; without libharfbuzz-subset0 a one-page Chinese PDF takes 12 s, not 0.3 s.
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
# Tests: Debian's Chromium for Playwright (it cannot download its own browser here), poppler for pdftotext/pdffonts.
TEST_DEBS := chromium poppler-utils $(WEASYPRINT_DEBS)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# $(call apt_ensure,packages): install whichever are missing; `apt-get update` only when something is.
define apt_ensure
@missing=""; \
for p in $(1); do \
  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if ! command -v apt-get >/dev/null; then \
    echo "Missing system packages:$$missing (install them with your package manager)" >&2; exit 1; \
  fi; \
  echo "Installing Debian packages:$$missing"; \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
fi
endef

.PHONY: help install system-deps system-deps-test run migrate test test-fast lint check-deploy worker beat clean backup restore prod-check

help:
	@echo "make run           install, migrate, seed holidays, load the demo district, serve http://$(HOST):$(PORT) (HOST=0.0.0.0: the LAN too)"
	@echo "make test          the whole test suite (installs Chromium and poppler when missing)"
	@echo "make lint          ruff (check and format) and the missing-migrations check"
	@echo "make check-deploy  Django's deployment checks against the production settings"
	@echo "make worker|beat   a Celery worker or the beat scheduler (needs CELERY_BROKER_URL)"
	@echo "make backup        database and media into one encrypted var/backups/partybuild-<time>.backup (BACKUP_ENCRYPTION_KEY)"
	@echo "make prod-check    nginx (TLS) → gunicorn, worker, beat on PostgreSQL and Redis, used over HTTPS, then stopped"
	@echo "make restore       BACKUP=var/backups/partybuild-<time>.backup: into an empty database and media folder"

install: $(STAMP) system-deps

$(STAMP): $(LOCKS)
	@if [ ! -x $(PY) ]; then \
	  [ -n "$(PYTHON)" ] || { echo "python3.11 not found" >&2; exit 1; }; \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	    { echo "$(PYTHON) is not Python 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }; \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@echo "Installing requirements-dev.lock into $(VENV): Django, Celery, WeasyPrint… about 80 s the first time, silent while it works"
	@# (Some machines' pip configuration points at local indexes that may be absent: drop those warnings.)
	@set -o pipefail; $(PIP) install -q -r requirements-dev.lock 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
	@rm -f $(VENV)/.partybuild-lock-* && touch $@

system-deps:
	$(call apt_ensure,$(WEASYPRINT_DEBS))

system-deps-test:
	$(call apt_ensure,$(TEST_DEBS))

migrate: install
	$(MANAGE) migrate --noinput

# The addresses `make run` answers to: loopback, plus this machine's names and addresses when HOST is not loopback
# (Django refuses any Host header not listed). DJANGO_ALLOWED_HOSTS, when set, wins.
comma := ,
LAN_NAMES = $(HOST)$(comma)$(shell hostname)$(comma)$(shell hostname -I 2>/dev/null | tr ' ' '\n' | grep -v : | paste -sd,)
RUN_ALLOWED_HOSTS = $(or $(DJANGO_ALLOWED_HOSTS),127.0.0.1$(comma)localhost$(if $(filter 127.0.0.1 localhost,$(HOST)),,$(comma)$(LAN_NAMES)))

run: migrate
	@echo "Seeding the holiday calendar, then loading the demo district (about 2 minutes the first time, a few seconds later)"
	$(MANAGE) seed_holidays
	$(MANAGE) load_demo
	@echo "Serving http://$(if $(filter 0.0.0.0,$(HOST)),<this PC's address>,$(HOST)):$(PORT)/ (log in as district / demo12345; Ctrl-C stops)"
	DJANGO_ALLOWED_HOSTS="$(RUN_ALLOWED_HOSTS)" $(MANAGE) runserver $(HOST):$(PORT)

# The suite on both cores: first the tests of the real Celery worker in one process (on the test database that
# .ci/run's worker reads), then everything else in TEST_WORKERS pytest-xdist workers, each with its own test database.
# `make test PYTEST_ARGS="tests/grading -x"` narrows both; TEST_WORKERS=0 runs the second part in one process.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -p no:cacheprovider
XDIST   = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS))

test: install system-deps-test
	@$(PYTEST) -q -m services $(PYTEST_ARGS); rc=$$?; [ $$rc = 0 ] || [ $$rc = 5 ] || exit $$rc
	$(PYTEST) -m "not services" $(XDIST) --durations=30 $(PYTEST_ARGS)

# Everything but the browser journeys (quicker while editing).
test-fast: install
	$(PYTEST) -m "not browser and not services" $(XDIST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# Dummy values: `check --deploy` only needs the production settings to load; it does not connect to the database.
check-deploy: install
	DJANGO_SETTINGS_MODULE=partybuild.settings_production \
	DJANGO_SECRET_KEY=check-deploy-dummy-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0-not-for-use \
	DJANGO_ALLOWED_HOSTS=partybuild.example.org \
	DATABASE_URL=postgres://partybuild:dummy@db.invalid:5432/partybuild \
	$(MANAGE) check --deploy --fail-level WARNING

worker: install
	$(VENV)/bin/celery -A partybuild worker -l info

beat: install
	$(VENV)/bin/celery -A partybuild beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

clean:
	rm -rf test-artifacts .pytest_cache .ruff_cache

BACKUP_DIR ?= var/backups

backup: install
	$(MANAGE) backup --dir $(BACKUP_DIR)

restore: install
	@[ -n "$(BACKUP)" ] || { echo "usage: make restore BACKUP=var/backups/partybuild-<time>.backup" >&2; exit 1; }
	$(MANAGE) restore "$(BACKUP)"

# The production topology of docker-compose.yml, without Docker, used and stopped again (deploy/prodcheck.sh).
prod-check: install system-deps
	bash deploy/prodcheck.sh

# --- Scale and speed (issue 6; docs/performance.md). Not part of `make test`. Each size lives in its own PostgreSQL
# database partybuild_scale_N (created, migrated and loaded once by bench/ensure_db.sh; later runs reuse it).
BENCH_SIZES ?= 400 5000

.PHONY: bench loadtest

bench: install system-deps
	@set -e; for n in $(BENCH_SIZES); do \
	  url=$$(bench/ensure_db.sh $$n); \
	  DATABASE_URL=$$url $(PY) bench/pages.py; \
	done
	DATABASE_URL=$$(bench/ensure_db.sh 5000) $(PY) bench/documents.py
	$(PY) bench/tally.py

# Deadline day against gunicorn -w 3 + PostgreSQL + Redis on loopback; LOADTEST_ARGS="--levels 10,25 --seconds 20".
loadtest: install
	DATABASE_URL=$$(bench/ensure_db.sh 5000) $(PY) bench/loadtest.py $(LOADTEST_ARGS)
