# Khizmat — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
KHIZMAT := $(BIN)/khizmat
PO_FILES := $(wildcard src/khizmat/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Local development runs with DEBUG on; production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL itself.
DEV_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: bench run install system-libs serve migrate demo test test-citus lint format messages compilemessages browser clean help

help:
	@echo "make run    — install, migrate, load the demo and serve http://$(HOST):$(PORT)"
	@echo "make test   — ruff, migration check and the whole pytest suite (DATABASE_URL selects PostgreSQL)"
	@echo "make serve  — the production setup on this machine: gunicorn and the worker, DEBUG off (docs/deploy.md)"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed compilemessages system-libs

# WeasyPrint (PDF receipts) needs Pango and HarfBuzz from Debian; install them when missing.
system-libs:
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || ! ldconfig -p | grep -q libharfbuzz-subset; then \
		echo "Installing Pango and HarfBuzz for PDF documents…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1 || \
		{ $$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null && $$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; } || \
		{ echo "Could not install Pango: run 'apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0' as root." >&2; exit 1; }; \
	fi

%.mo: %.po
	msgfmt --check -o $@ $<

compilemessages: $(MO_FILES)

messages: install
	cd src/khizmat && $(DEV_ENV) ../../$(KHIZMAT) makemessages -l ky -l uz -l uz_Cyrl -l ru --no-location \
		--ignore='tests/*' --ignore='*/tests/*' --ignore='static/*' --ignore='*/demo.py' --ignore='demo/*'

migrate: install
	mkdir -p var
	$(DEV_ENV) $(KHIZMAT) migrate --noinput

demo: migrate
	$(DEV_ENV) $(KHIZMAT) demo

# The background worker (SMS and other tasks) runs beside the development server and stops with it.
run: demo
	@echo "Serving http://$(HOST):$(PORT)/ — press Ctrl+C to stop. Background tasks: var/worker.log"
	@$(DEV_ENV) $(KHIZMAT) db_worker --no-startup-delay --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) TWO_FACTOR_REQUIRED=0 $(KHIZMAT) runserver $(HOST):$(PORT)

# The production setup on this machine (docs/deploy.md): DEBUG off, migrate, collectstatic (hashed, compressed), then
# gunicorn and the background worker, stopped together by Ctrl+C. Settings come from the environment; without
# SECRET_KEY (or SECRET_KEY_FILE) one is generated once into var/secret_key (mode 600) and kept for the next runs.
serve: install
	@mkdir -p var
	@if [ -z "$$SECRET_KEY" ] && [ -z "$$SECRET_KEY_FILE" ] && [ ! -s var/secret_key ]; then \
		(umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key); \
		echo "Generated a SECRET_KEY into var/secret_key: keep it (sessions and signed links depend on it)."; \
	fi
	@if [ -z "$$SECRET_KEY" ] && [ -z "$$SECRET_KEY_FILE" ]; then export SECRET_KEY_FILE="$(CURDIR)/var/secret_key"; fi; \
	exec env -u DEBUG ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" $(KHIZMAT) serve --bind $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when missing (never Playwright's own download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null && $$SUDO apt-get install -y -qq chromium >/dev/null; } || \
		{ echo "Could not install chromium: run 'apt-get install chromium' as root." >&2; exit 1; }; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the dependency rules of docs/architecture.md (contracts in pyproject.toml)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install browser lint
	mkdir -p var
	SECRET_KEY=check $(KHIZMAT) makemigrations --check --dry-run >/dev/null || \
		{ echo "Models and migrations differ: run 'khizmat makemigrations --name <what_changed>'." >&2; exit 1; }
	@if [ -n "$$DATABASE_URL" ]; then echo "== pytest on PostgreSQL"; else echo "== pytest on SQLite"; fi
	@$(BIN)/pytest -q -p no:randomly --durations=20 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is missing, which counts as a failure." >&2; exit 1; fi; \
	exit $$status

# The suite on a Citus cluster (not part of make test; docs/deploy.md, results in docs/benchmarks.md): the coordinator's
# URL, whose database knows its workers (or CITUS_WORKERS=host:port,...). test_<name> is made afresh on every node.
test-citus: install
	@test -n "$(CITUS_URL)" || { echo "Give the coordinator: make test-citus CITUS_URL=postgres://user@host:port/name" >&2; exit 1; }
	$(BIN)/python -m khizmat.testing.citus "$(CITUS_URL)"
	DATABASE_URL="$(CITUS_URL)" DATABASE_CITUS=1 KHIZMAT_CITUS=1 $(BIN)/pytest -q -p no:randomly --reuse-db --durations=20 $(PYTEST_ARGS)

# Benchmarks (not part of make test), each appending its results to docs/benchmarks.md. National data is generated
# once into BENCH_NATIONAL_DATABASE_URL (PostgreSQL) and BENCH_NATIONAL_SQLITE and reused by later runs; see
# docs/benchmarks.md for the order, the targets and how to run one script alone.
BENCH_NATIONAL_SQLITE ?= /tmp/khizmat-national.sqlite3
export BENCH_NATIONAL_SQLITE
BANK_BENCH_PG ?= postgres://postgres@127.0.0.1:5432/khizmat_billbench
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

bench: install $(VENV)/.bench-installed
	@if [ ! -x /usr/bin/wrk ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || \
		{ $$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null && $$SUDO apt-get install -y -qq wrk >/dev/null; }; \
	fi
	@# The two national data sets are generated side by side (PostgreSQL works in its server, SQLite in this
	@# process: one core each); each is skipped when it exists already.
	@$(BIN)/python bench/generate_bench.py --database postgresql --note "(alongside SQLite)" & pg=$$!; \
	$(BIN)/python bench/generate_bench.py --database sqlite --note "(alongside PostgreSQL)"; sqlite=$$?; \
	wait $$pg && [ $$sqlite -eq 0 ]
	@# The Results dashboards read stored KPI values: the generator writes raw rows only, the rebuild fills them.
	$(BIN)/python bench/kpi_rebuild_bench.py --record
	$(BIN)/python bench/kpi_rebuild_bench.py --record --database-url sqlite:///$(BENCH_NATIONAL_SQLITE)
	$(BIN)/python bench/http_bench.py --record
	$(BIN)/python bench/dashboard_bench.py --record
	$(BIN)/python bench/dashboard_bench.py --record --database-url sqlite:///$(BENCH_NATIONAL_SQLITE)
	$(BIN)/python bench/mixed_load.py --record
	$(BIN)/python bench/cvrp_bench.py
	$(BIN)/python bench/billing_bench.py --database sqlite
	$(BIN)/python bench/billing_bench.py --database postgresql
	$(DEV_ENV) DATABASE_URL=sqlite:////tmp/khizmat-bank-bench.sqlite3 $(KHIZMAT) migrate -v0
	$(DEV_ENV) DATABASE_URL=sqlite:////tmp/khizmat-bank-bench.sqlite3 $(BIN)/python bench/bank_import_bench.py
	$(BIN)/python -c "import sys; sys.path.insert(0, 'bench'); from benchlib import ensure_pg_database as e; e('$(BANK_BENCH_PG)')"
	$(DEV_ENV) DATABASE_URL=$(BANK_BENCH_PG) $(KHIZMAT) migrate -v0
	$(DEV_ENV) DATABASE_URL=$(BANK_BENCH_PG) $(BIN)/python bench/bank_import_bench.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
	find src -name '*.mo' -delete
