# kexie-research: `make help` lists the targets. `make all` = set up + build the dataset + all reports.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Notebooks run at the same time by `make report` (default: one per core, as `kexie report`; `make report JOBS=1`).
JOBS   ?= $(shell nproc 2>/dev/null || echo 1)
# Test processes of `make test` (pytest-xdist, `--dist loadfile`: each test file on one worker; the
# documentation and report sites are built once for all workers): `make test TEST_JOBS=1` for a serial run.
TEST_JOBS ?= $(JOBS)
# `--no-loadscope-reorder`: xdist hands out the files in the order of collection (the conftest puts the
# files with slow tests first) instead of re-sorting them by their number of tests.
PYTEST_PARALLEL = -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

.DEFAULT_GOAL := help
.PHONY: help all setup browser build validate report lint test test-fast format mutation lab bench docs clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

all: report ## set up .venv, build data/processed/ and regenerate every report (the main job)

setup: $(STAMP) ## create .venv/ and install the project with all extras (and its Jupyter kernel)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all]'
	$(BIN)/python -c "from kexie_research.runner.kernels import ensure_project_kernel; print('kernel:', ensure_project_kernel())"
	@command -v chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then $(MAKE) browser; \
	  else echo "note: the browser tests need Debian's chromium: run 'sudo make browser'"; fi; }
	touch $(STAMP)

browser: ## install Debian's Chromium, which the browser tests drive (as root; never a downloaded browser)
	apt-get update -qq
	apt-get install -y -qq chromium

build: setup ## regenerate data/processed/ from data/raw/
	$(BIN)/kexie build

validate: setup ## check every coded row without writing anything
	$(BIN)/kexie validate

report: build ## run all notebooks into reports/, one per core (open reports/index.html)
	$(BIN)/kexie report --jobs $(JOBS)

lint: setup ## check the code: ruff (lint and format) and mypy (types)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kexie_research

test: lint ## lint and type-check, then run the test suite (one test process per core)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-fast: setup ## run the tests that do not execute notebooks
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow"

format: setup ## format the code with ruff (rewrites files; see [tool.ruff.format] in pyproject.toml)
	$(BIN)/ruff format .

mutation: setup ## mutation scores of parse/, steps/indicators.py (+ row_checks), analysis/qca.py and the period grammar (a seeded sample, about an hour; not part of test)
	$(BIN)/python scripts/mutation.py

lab: setup ## open JupyterLab on the project's own kernel
	$(BIN)/kexie lab

bench: setup ## print the benchmark figures
	$(BIN)/python benchmarks/bench_linear.py
	$(BIN)/python benchmarks/bench_quantities.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_evalset.py --set evaluation
	$(BIN)/python benchmarks/bench_scale.py

docs: setup ## build the documentation site into docs/_build/html (warnings are errors)
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

clean: ## remove generated reports and caches (keeps .venv and data/processed)
	rm -rf reports .pytest_cache .hypothesis .mypy_cache .ruff_cache docs/_build docs/_autosummary
