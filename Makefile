# Every target creates or reuses .venv by itself; nothing else needs installing by hand.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_WORKERS ?= 2

# Headless plotting everywhere; caches stay inside the ignored build/ folder.
export MPLBACKEND := Agg
export PYTENSOR_FLAGS ?= base_compiledir=$(CURDIR)/build/pytensor

# Quick-mode reports of every case study: `make test` builds the docs' case-study pages from them
# and the browser test opens them. `make demo` writes the full-mode ones to reports/.
QUICK_REPORTS := build/reports-quick

.PHONY: demo test test-all lint typecheck bench docs docs-quick quick-reports browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[finance]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@


## demo: install, run every case study in full with progress, write reports/ (open reports/index.html)
demo: $(VENV)/.installed
	$(BIN)/statcraft case-studies run --all --out reports

## test: lint, type-check and the default (fast) test suite
# --dist worksteal: an idle worker takes queued tests from a busy one, so the long tests at the
# end of the suite do not leave one core idle for minutes. The case-study tests check the
# quick-mode runs made for the docs (STATCRAFT_QUICK_REPORTS) instead of running them again.
test: lint typecheck docs-quick browser
	STATCRAFT_QUICK_REPORTS=$(QUICK_REPORTS) $(BIN)/python -m pytest -q -m "not slow" -n $(PYTEST_WORKERS) --dist worksteal --durations=15

## test-all: everything, including the long simulations marked slow
test-all: lint typecheck docs-quick browser
	STATCRAFT_QUICK_REPORTS=$(QUICK_REPORTS) $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal --durations=15

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks case_studies mkdocs_hooks
	$(BIN)/ruff format --check src case_studies mkdocs_hooks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src case_studies

## bench: time statcraft against its peers (prints tables of ratios)
bench: $(VENV)/.installed-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## docs: build the documentation site (site/) with --strict; its case-study pages come from
## reports/ when `make demo` wrote them, else from quick-mode runs made here
docs: $(VENV)/.installed-dev
	@if [ -f reports/index.html ]; then \
		STATCRAFT_REPORTS=reports $(BIN)/mkdocs build --strict; \
	else \
		$(MAKE) quick-reports && STATCRAFT_REPORTS=$(QUICK_REPORTS) $(BIN)/mkdocs build --strict; \
	fi

# The site as `make test` checks it: case-study pages from fresh quick-mode reports.
docs-quick: quick-reports
	STATCRAFT_REPORTS=$(QUICK_REPORTS) $(BIN)/mkdocs build --strict

quick-reports: $(VENV)/.installed-dev
	rm -rf $(QUICK_REPORTS)
	$(BIN)/statcraft case-studies run --all --quick --out $(QUICK_REPORTS)

# Debian's Chromium for the browser test (tests/docs/test_browser.py), installed when absent;
# the test skips with a message when it could not be.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null 2>&1)) || \
		echo "could not install chromium: the browser test will be skipped"

clean:
	rm -rf build site .pytest_cache .mypy_cache .ruff_cache
