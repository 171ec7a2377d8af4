# The VAWG Partnership Portal. `make demo` runs it; `make test` checks it (DESIGN §6).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ASSETS := portal/static/dist/main.css
PROD_ENV := DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=portal.example.org \
	DJANGO_SECRET_KEY=check-deploy-only-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	BLIND_INDEX_KEY=$$($(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')

.PHONY: install system-packages services demo test lint check-deploy bench bench-quick drills clean

install: system-packages $(STAMP) $(ASSETS)

system-packages:
	@bash scripts/install-system-packages.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/scss/*.scss)
	npm run --silent build

services:
	@bash scripts/ensure-services.sh

demo: install services
	@DJANGO_DEBUG=1 bash scripts/demo.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r . -ll -q

check-deploy: $(STAMP)
	@$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

test: install services lint
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	DJANGO_DEBUG=1 $(VENV)/bin/pytest -n 2 --dist loadfile

# Benchmarks at scale into their own database (vawg_bench); writes docs/performance.md.
# QUICK=1: smaller data and shorter runs (within 10 minutes); MILLION=1: 1,000,000 MARAC cases.
bench: install services
	$(PY) bench/run.py $(if $(QUICK),--quick) $(if $(MILLION),--million)

bench-quick:
	@$(MAKE) --no-print-directory bench QUICK=1

# Fault drills and load against private PostgreSQL and Redis (bench/drills/run_all.py): quick by
# default (under ten minutes); `make drills DRILLS=--full` for full length. Then the whole-portal
# authorisation matrix over the full actor set (both partnerships, both agencies per role) and
# the API fuzz with more examples than `make test` allows.
DRILLS ?=
drills: install services
	$(PY) bench/drills/run_all.py $(DRILLS)
	AUTHZ_MATRIX=full API_FUZZ_EXAMPLES=25 DJANGO_DEBUG=1 $(VENV)/bin/pytest -p no:xdist \
		tests/security/test_authz_matrix.py tests/security/test_api_fuzz.py

clean:
	rm -rf $(VENV) node_modules portal/static/dist staticfiles
