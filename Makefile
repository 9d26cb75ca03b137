# Two commands on a fresh machine: `make play` and `make test`.
# The environment's interpreter: the system's Python 3.11+ (an optimised build) when there is
# one, else python3 (see scripts/pick_python.py); `make PYTHON=python3 ...` to choose.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?= hybrid_mandate

.PHONY: play test browser lint bench clean

$(STAMP): pyproject.toml setup.py
	@python="$(PYTHON)"; [ -n "$$python" ] || python=$$(python3 scripts/pick_python.py); \
	echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,serve]'
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/accord play $(ARGS)

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

# The browser test (tests/classroom) drives Debian's headless Chromium: installed here when it
# is missing and we may (root, apt-get); elsewhere that test says what is missing and is skipped.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium and chromium-driver for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver >/dev/null; \
	  else \
	    echo "No Chromium: the browser test will be skipped (apt-get install chromium chromium-driver)"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check game tests benchmarks scripts
	$(BIN)/ruff format --check game tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV)
