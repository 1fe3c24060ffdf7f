# Every target creates or reuses .venv by itself; nothing else needs installing by hand.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_WORKERS ?= 2

# Headless plotting everywhere; caches stay inside the ignored build/ folder.
export MPLBACKEND := Agg
export PYTENSOR_FLAGS ?= base_compiledir=$(CURDIR)/build/pytensor

.PHONY: demo test test-all lint typecheck bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[finance]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

## demo: install, print estimates on the bundled data, run every case study in full (writes reports/)
demo: $(VENV)/.installed
	$(BIN)/python examples/demo.py --output reports
	$(BIN)/python -m case_studies --out reports

## test: lint, type-check and the default (fast) test suite
# --dist worksteal: an idle worker takes queued tests from a busy one, so the long case-study
# runs at the end of the suite do not leave one core idle for minutes.
test: lint typecheck
	$(BIN)/python -m pytest -q -m "not slow" -n $(PYTEST_WORKERS) --dist worksteal --durations=15

## test-all: everything, including the long simulations marked slow
test-all: lint typecheck
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal --durations=15

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks examples case_studies
	$(BIN)/ruff format --check src case_studies

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src case_studies

## bench: time statcraft against its peers (prints tables of ratios)
bench: $(VENV)/.installed-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## docs: build the documentation site with --strict
docs: $(VENV)/.installed-docs
	$(BIN)/mkdocs build --strict

clean:
	rm -rf build site .pytest_cache .mypy_cache .ruff_cache
