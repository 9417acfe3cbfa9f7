# make run  : set everything up and serve the site with demo data (SQLite under instance/)
# make test : install what the tests need and run them (SQLite, then PostgreSQL when
#             TEST_DATABASE_URL is set)
# make bench: the benchmarks in bench/

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
CHROMIUM ?= /usr/bin/chromium
export FLASK_APP := wsgi

.PHONY: run test bench lint install browser

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The end-to-end tests drive Debian's Chromium; install it when it is missing and we can.
browser:
	@if [ ! -x $(CHROMIUM) ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask billing sync-plans
	$(BIN)/flask seed demo --if-empty
	SERVER_NAME=$${SERVER_NAME:-127.0.0.1:$(PORT)} $(BIN)/flask jobs serve --with-site --host 127.0.0.1 --port $(PORT)

test: install browser
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/pytest; \
	fi

lint: install
	$(BIN)/ruff check app jobs tests bench wsgi.py

bench: install
	$(BIN)/python -m bench.thread_render
	$(BIN)/python -m bench.leaderboard
