# Two commands on a fresh machine with Python 3.11:
#   make all       - create .venv, install the pinned environment, execute every notebook
#   make test      - same installation, then the fast tests on both cores (pytest-xdist, shuffled order:
#                    pytest-randomly prints its seed): unit tests and every notebook on the 15 degenerate
#                    cohorts in this process (~2.5 min here, 2 cores)
#   make test-slow - the slow tests: the nbval regression of notebooks/executed, whole runs through the runner
#                    and its kernels (one degenerate cohort, pooling, launch environments, builds),
#                    calibrations, Dask ensembles, and the report and JupyterLab in Debian's chromium,
#                    installed here (~5 min); CI runs both
#   make lint      - ruff check and ruff format --check (the first step of make test)
#   make coverage  - the fast tests with line coverage of analysis/ (pytest-cov)
#   make mutation  - mutation score of the statistics core (mutmut; ~30 min; not in CI)
#   make report    - render the executed notebooks and every figure/table as a static site in report/
#   make lab       - JupyterLab on the compendium (Jupytext sources open as notebooks; no autosave)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Nothing is exported: the runner fixes every setting that changes output bytes for the kernels it
# starts (analysis/pipeline/environment.py), so `make all` and `python -m analysis run` give the same bytes.

NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 600
# Both cores. The tests are distributed one by one (shuffled by pytest-randomly); nbval's cells must run in
# order in one kernel per notebook, so it is a second session, a notebook per worker, in notebook order.
XDIST      := -n 2
NBVAL_RUN  := $(BIN)/python -m pytest $(XDIST) --dist loadfile -p no:randomly notebooks/executed $(NBVAL_OPTS)

.PHONY: all install test lint test-slow unit nbval coverage mutation report lab browser lock clean help

all: $(STAMP)
	$(BIN)/python -m analysis run

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
	touch $(STAMP)

# The fast tests; `make test-slow` the rest (nbval re-executes each notebook in a kernel: ~50 s of the two
# cores). .ci/run runs both: every test runs in CI. No browser here: every browser test is slow.
test: $(STAMP) lint
	$(BIN)/python -m pytest $(XDIST) -m "not slow" tests

# ruff's lint rules and format check ([tool.ruff] in pyproject.toml); part of make test.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-slow: $(STAMP) browser
	$(NBVAL_RUN)
	$(BIN)/python -m pytest $(XDIST) -m slow tests

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(NBVAL_RUN)

# Line coverage of analysis/ by the fast tests (the notebooks' kernels are other processes: the
# in-process degenerate runs are what cover the notebooks' calls).
coverage: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) -m "not slow" tests --cov=analysis --cov-report=term --cov-report=json:coverage.json

# mutmut over analysis/stats/{km,logrank,cox,risksets}.py with tests/stats as the suite ([tool.mutmut] in
# pyproject.toml); the score and every surviving mutant's reason are in benchmarks/README.md.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test,mutation]"
	rm -rf mutants && $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

report: $(STAMP)
	$(BIN)/python -m analysis report

# The reader's settings (notebooks/lab-settings/, copied once into .venv so that changes made in the
# session stay out of git); the user's own ~/.jupyter is not touched. LAB_ARGS="--port 8890" etc.
lab: $(STAMP)
	@mkdir -p $(VENV)/lab-settings && cp -rn notebooks/lab-settings/. $(VENV)/lab-settings/
	JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/$(VENV)/lab-settings $(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

# Debian's chromium for the report's browser test (Playwright drives it; no browser download).
# Installed when missing and we may use apt-get (root or password-less sudo: CI, containers); otherwise the test is skipped
# unless COMPENDIUM_REQUIRE_BROWSER is set.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=no; fi; \
	  if [ "$$SUDO" != no ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report's browser test"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: the report's browser test will be skipped (Debian: apt-get install chromium)"; fi; }

# Re-resolve the newest versions allowed by pyproject.toml and rewrite the lock file.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet -e ".[test]"
	{ echo "# Exact versions of every package the compendium runs with (Python 3.11)."; \
	  echo "# Used as pip constraints by the Makefile: pip install -c requirements.lock -e '.[test]'."; \
	  echo "# Regenerate: make lock  (then update environment.yml; tests/test_environment.py checks they agree)."; \
	  .lockenv/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) *.egg-info

help:
	@sed -n '1,12p' Makefile
