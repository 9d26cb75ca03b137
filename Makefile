# Two commands on a fresh machine: `make play` and `make test`.
# The environment's interpreter: the system's Python 3.11+ (an optimised build) when there is
# one, else python3 (see scripts/pick_python.py); `make PYTHON=python3 ...` to choose.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?= hybrid_mandate

.PHONY: play test lint bench clean

$(STAMP): pyproject.toml
	@python="$(PYTHON)"; [ -n "$$python" ] || python=$$(python3 scripts/pick_python.py); \
	echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,serve]'
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/accord play $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check game tests benchmarks scripts
	$(BIN)/ruff format --check game tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV)
