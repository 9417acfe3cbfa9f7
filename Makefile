# make run  : set everything up and serve the site with demo data (SQLite under instance/);
#             SEED=stackexchange make run imports the shared ai.stackexchange.com dump instead
# make test : install what the tests need and run them (SQLite, then PostgreSQL when
#             TEST_DATABASE_URL is set)
# make bench: the benchmarks in bench/
# make load : the load test at small scale (LOAD_DATABASE_URL names a scratch PostgreSQL database)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
CHROMIUM ?= /usr/bin/chromium
SEED     ?= demo
SE_DUMP  ?= ../shared/data/stackexchange-ai
# The dump's last day: the insights jobs look back from there.
SE_AS_OF ?= 2016-12-11
export FLASK_APP := wsgi

.PHONY: run test bench load lint install browser seed-stackexchange

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The end-to-end tests drive Debian's Chromium and check pages with axe-core (npm);
# install each when it is missing and we can, then say what the journeys will do.
browser:
	@if [ ! -x $(CHROMIUM) ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then \
		echo "Installing axe-core for the accessibility checks..."; \
		npm install --no-audit --no-fund; \
	fi
	@if [ -x $(CHROMIUM) ]; then echo "Browser journeys: run in $(CHROMIUM)."; \
	else echo "Browser journeys: SKIPPED, no Chromium at $(CHROMIUM) (CHROMIUM=path to use another)."; fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
		echo "Accessibility checks: SKIPPED, no node_modules/axe-core (install npm, then make browser)."; fi

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask billing sync-plans
	@if [ "$(SEED)" = stackexchange ]; then $(MAKE) --no-print-directory seed-stackexchange; \
	else $(BIN)/flask seed demo --if-empty; fi
	SERVER_NAME=$${SERVER_NAME:-127.0.0.1:$(PORT)} $(BIN)/flask jobs serve --with-site --host 127.0.0.1 --port $(PORT)

# Import the Stack Exchange dump (a re-run adds nothing), then compute the insights as of
# its last day, so recommendations and communities exist for its people.
seed-stackexchange: install
	@if [ ! -f "$(SE_DUMP)/Posts.xml" ]; then \
		echo "SEED=stackexchange: no Stack Exchange dump in $(SE_DUMP) (set SE_DUMP=folder)." >&2; \
		exit 1; \
	fi
	$(BIN)/flask import stackexchange $(SE_DUMP)
	for job in engagement communities recommendations badge-sweep; do \
		$(BIN)/flask jobs run $$job --as-of $(SE_AS_OF) || exit 1; \
	done

test: install browser
	env -u TEST_DATABASE_URL CHROMIUM_PATH=$(CHROMIUM) $(BIN)/pytest -rs
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		CHROMIUM_PATH=$(CHROMIUM) $(BIN)/pytest -rs; \
	fi

lint: install
	$(BIN)/ruff check app jobs tests bench wsgi.py

bench: install
	$(BIN)/python -m bench.thread_render
	$(BIN)/python -m bench.leaderboard

# Build the small load-test database once (kept for the next run), then serve and drive it.
LOAD_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/guildhall_load
load: install
	$(BIN)/python -m bench.load.prepare --database-url $(LOAD_DATABASE_URL) --scale small --keep
	$(BIN)/python -m bench.load.run --database-url $(LOAD_DATABASE_URL) --duration 60
