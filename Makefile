# Two commands: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := citizen_portal.settings

.PHONY: run test test-prod test-security audit-deps audit-tool scanners nginx lint format venv setup-db browser messages bench loadtool backup restore clean

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create a virtual environment: on Debian, apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP)

setup-db: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_directory

run: setup-db
	DEBUG=1 $(PY) manage.py seed_demo --history 5000
	$(PY) manage.py train_category_model
	DEBUG=1 $(PY) manage.py runportal

# Backups of the embedded default (docs/operators.md, "Backups and restore"): `make backup`
# writes var/backups/portal-<UTC time>.tar.gz while the portal runs (OUTPUT=dir to write
# elsewhere); `make restore FILE=…` puts one back, asking first (YES=1 does not ask).
backup: $(STAMP)
	$(PY) manage.py backup $(if $(OUTPUT),--output "$(OUTPUT)")

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/portal-….tar.gz [YES=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(filter 1,$(YES)),--yes)

# Debian's chromium and the Noto fonts (Urdu renders as boxes without them) for browser tests.
browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-core >/dev/null 2>&1 || { \
	  echo "Installing chromium and fonts-noto-core for the browser tests…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null; }

# The suite runs in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs it in this one.
PYTEST_WORKERS ?= auto
test: $(STAMP) browser
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The production topology on this machine (tests/production, docs/deployment.md): nginx, two
# gunicorn instances, two task consumers on Redis, PostgreSQL and an S3 server, with faults
# injected: a consumer killed mid-task, PostgreSQL restarted under load, the SMS gateway and the
# object store down, a full disk. Needs root, PostgreSQL at 127.0.0.1:5432 and Redis at
# 127.0.0.1:6379; it RESTARTS that PostgreSQL, so nothing else may be using it meanwhile.
test-prod: $(STAMP) nginx
	$(PY) -m pytest -n 0 -m "production or redis" $(PYTEST_ARGS)

# Debian's nginx, for test-prod (the portal's own configuration is deploy/nginx).
nginx:
	@command -v nginx >/dev/null || { \
	  echo "Installing nginx for the production-topology tests…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; }

# Security scanners (docs/security.md, "Scanners"): wapiti crawls and attacks the website as
# the demo citizen and as an officer, sqlmap tries SQL injection on the API, against a portal
# started for the run (SQLite, plain http, production's settings otherwise). A finding of
# medium or higher severity fails unless triaged in docs/security.md. About 6 minutes; raw
# reports in var/security/.
test-security: $(STAMP) scanners
	$(PY) -m tests.security.scan

# Known vulnerabilities in the pinned dependencies (docs/security.md, "Dependencies"): pip-audit,
# in a virtual environment of its own (var/tools/pip-audit), against requirements/lock.txt. Exit
# 1: a vulnerability; 3: the advisory service could not be reached (said loudly, not a pass).
AUDIT_VENV := var/tools/pip-audit
audit-deps: $(STAMP) audit-tool
	$(PY) -m tests.security.dependencies $(AUDIT_VENV)/bin/pip-audit

audit-tool:
	@test -x $(AUDIT_VENV)/bin/pip-audit || { \
	  $(PYTHON) -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/python -m pip install --quiet pip-audit==2.10.1; }

# Debian's wapiti and sqlmap, for test-security.
scanners:
	@command -v wapiti >/dev/null && command -v sqlmap >/dev/null || { \
	  echo "Installing wapiti and sqlmap for the security scan…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wapiti sqlmap >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the Urdu catalogue after changing strings, then translate and compile it.
messages: $(STAMP)
	cd citizen_portal && ../$(PY) ../manage.py makemessages -l ur --no-obsolete --add-location file
	$(PY) manage.py compilemessages -l ur --ignore=.venv

# The benchmark (docs/benchmarks.md): SMOKE=1 for a few seconds per scenario on a small data
# set, SCALE=N complaints (default 1,000,000). Uses its own database, citizen_portal_bench.
bench: $(STAMP) loadtool
	SMOKE=$(SMOKE) SCALE=$(SCALE) bench/run.sh

# wrk (the load client) and pgbench (the database floor) from Debian's packages.
loadtool:
	@command -v wrk >/dev/null && command -v pgbench >/dev/null || { \
	  echo "Installing wrk and postgresql-client for the benchmark…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk postgresql-client >/dev/null; }

clean:
	rm -rf $(VENV) var test-artifacts staticfiles
