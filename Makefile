# Quick start: `make run` (install, migrate, load demo data, serve) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app webapp
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install os-packages translations migrate seed lint bench clean

# The development server speaks plain http, so its session cookie may not be Secure-only.
run: install migrate seed
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite on SQLite; then, when TEST_DATABASE_URL names a PostgreSQL server, every test
# that touches the database again on it. Job tests use the Redis named by TEST_REDIS_URL.
# Property tests run with their full example counts (the "ci" hypothesis profile).
test: install
	env -u TEST_DATABASE_URL HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== database tests again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(PY) -m pytest tests/integration tests/live $(PYTEST_ARGS); \
	fi

install: os-packages $(STAMP) translations

translations: $(STAMP)
	@$(VENV)/bin/pybabel compile -d webapp/translations > /dev/null

os-packages:
	@bash scripts/install-os-packages.sh

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,server]'
	@touch $(STAMP)

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) demo seed

# Static gates, run by CI before the tests: lint, formatting, types (strict on assessment/ and
# reports/, see [tool.mypy]) and the import contracts ([tool.importlinter]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Every benchmark, with PostgreSQL figures from the local server unless BENCH_DATABASE_URL says
# otherwise; writes bench/RESULTS.md.
bench: install
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(PY) -m bench $(BENCH_N)

clean:
	rm -rf $(VENV) instance/*.sqlite
