# Routinie: the front door. `make run` serves the platform, `make test` runs every test.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install run dev test lint format promises bench bench-peer bench-soak check-deploy clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The test suite's npm tools (package.json: axe-core for the accessibility gate), never served.
# Without npm (or the registry) `make run` still works: the accessibility tests are then skipped
# locally and fail in CI.
$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: the accessibility tests will be skipped (apt-get install npm)"; \
	elif npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then touch $(NODE_STAMP); \
	else echo "npm ci failed: the accessibility tests will be skipped"; fi

install: $(STAMP) $(NODE_STAMP)

## run: migrate, create the demo account, serve on http://127.0.0.1:$(PORT) with the task worker
## (the production server: gunicorn, two processes per CPU; DEBUG off unless you set DEBUG=1)
run: install
	$(BIN)/routinie migrate --noinput
	$(BIN)/routinie collectstatic --noinput --verbosity 0
	$(BIN)/routinie demo_account
	DEBUG=$${DEBUG:-0} $(BIN)/routinie serve --port $(PORT)

## dev: for developers: Django's development server, reloading on every code change
dev: install
	$(BIN)/routinie migrate --noinput
	$(BIN)/routinie demo_account
	DEBUG=$${DEBUG:-1} $(BIN)/routinie serve --dev --port $(PORT)

## test: the whole suite (pytest exits 5 when it ran nothing: that is a failure here)
test: install
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no test ran"; exit 1; fi; exit $$rc

## lint: ruff (lint and format), mypy (strict), and the layers (lint-imports, pyproject.toml)
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## promises: the table of P01-P20 with the tests that prove each and their result
promises: install
	$(BIN)/pytest -q -m promise --promises $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 1; fi; exit $$rc

## bench: generate data into a fresh database, time the scenarios of performance.md, print the
## table and write bench/results/<timestamp>.json (BENCH_ARGS="--quick" for the CI smoke run;
## with DATABASE_URL set, runs in a scratch PostgreSQL database created and dropped on that server)
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## bench-peer: the same-run comparison with TimeTagger (installed into its own environment)
bench-peer: install
	$(BIN)/python -m bench.peer $(BENCH_ARGS)

## bench-soak: the API mix at 80 % of its measured throughput for 30 minutes against `routinie
## serve`: no error, memory flat; bench/results/soak-<database>.json (BENCH_ARGS="--minutes 3";
## "--database postgresql --redis-url redis://127.0.0.1:6379/0" for PostgreSQL with Redis)
bench-soak: install
	$(BIN)/python -m bench.soak $(BENCH_ARGS)

check-deploy: install
	ROUTINIE_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=routinie.example \
	  PAYMENT_PROCESSOR_URL=https://api.stripe.com STRIPE_SECRET_KEY=sk_live_placeholder \
	  STRIPE_PUBLISHABLE_KEY=pk_live_placeholder STRIPE_WEBHOOK_SECRET=whsec_placeholder \
	  $(BIN)/routinie check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
