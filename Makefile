# Engage: `make run` serves a demo site, `make test` runs every test. See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrations-check install bench bench-search clean bench-clustering bench-safety bench-drafts bench-api bench-levels synthetic audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The demo site answers at 127.0.0.1:$(PORT), and its emails' links point there too.
run: export PORT := $(PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --address 127.0.0.1:$(PORT)
	$(BIN)/python manage.py update_database_statistics
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# ruff, and the floors of the house (import-linter's contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=engage.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Tests run on every core (pytest-xdist); PYTEST_ARGS="-n 0 -k name" for one at a time.
PYTEST_ARGS ?= -n auto
test: lint migrations-check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Known vulnerabilities in the pinned requirements (pip-audit, PyPI's advisory feed). The pins
# are exact and complete, so nothing is installed (--no-deps --disable-pip); --strict fails
# when a package could not be checked, so an audit that checked nothing never passes.
audit: $(STAMP)
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .test-media

# Fictional ICSs, Places and PCNs with residents' ideas, at a chosen scale (README, "Synthetic
# data at scale"); SYNTHETIC_ARGS="--places 5 --pcns 50 --ideas-per-pcn 2000" for an ICS's size.
SYNTHETIC_ARGS ?=
synthetic: $(STAMP)
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py make_synthetic_data $(SYNTHETIC_ARGS)

# Drafts of "what we heard" per theme at 50, 200 and 1,000 ideas on one core; writes bench/results/drafts.json.
bench-drafts: $(STAMP)
	$(BIN)/python bench/drafts_benchmark.py

# How fast suggested themes are for 5,000 ideas on one core; writes bench/results/clustering.json.
bench-clustering: $(STAMP)
	$(BIN)/python bench/cluster_benchmark.py

# How long the safety net's check takes on 2,000-character texts, on one core (budget: p95
# under 5 ms); writes bench/results/safety.json.
bench-safety: $(STAMP)
	$(BIN)/python bench/safety_benchmark.py

# Latency, throughput, queries and worker memory of the public pages beside a bare Django view
# served by its own gunicorn (wrk when installed), 1,000 ideas and 10,000 comments. BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/engage_bench
# to run it on PostgreSQL (that database is dropped and made afresh). Writes bench/results/site-*.json
# and the table the README quotes, docs/benchmarks/site-*.md.
# BENCH_ARGS="--ideas 10000 --comments 100000" for ten times the data (docs/benchmarks/site-*-10000-ideas.md).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/site_benchmark.py $(BENCH_ARGS)

# p50 and p95 of each list of the open data API (budget: p95 under 100 ms), in this process on
# a throwaway test database: 20 PCNs of 500 ideas (BENCH_API_ARGS="--pcns 50 --ideas 2000");
# DATABASE_URL=postgres://... for PostgreSQL. Writes bench/results/api.json.
BENCH_API_ARGS ?=
# Place and ICS pages, their leads' screens and the API's lists (README, "Speed");
# BENCH_LEVELS_ARGS="--places 5 --pcns 50 --ideas-per-pcn 2000" with BENCH_DATABASE_URL.
BENCH_LEVELS_ARGS ?=
bench-levels: $(STAMP)
	$(BIN)/python bench/levels_benchmark.py $(BENCH_LEVELS_ARGS)

bench-api: $(STAMP)
	$(BIN)/python bench/api_benchmark.py $(BENCH_API_ARGS)

# Searches of a consultation's idea list among 100,000 ideas; writes bench/results/search-*.json.
bench-search: $(STAMP)
	$(BIN)/python bench/site_benchmark.py --search
