# Two commands on a fresh machine with Python 3.11, 3.12 or 3.13 (the same requirements.lock on each):
#   make all       - create .venv, install the pinned environment, execute every notebook
#   make test      - same installation, then the fast tests on both cores (pytest-xdist, shuffled order:
#                    pytest-randomly prints its seed): unit tests and every notebook on the 15 degenerate
#                    cohorts in this process (~2 min here, 2 cores: 123 s with the lint)
#   make test-slow - the slow tests: the nbval regression of notebooks/executed, whole runs through the runner
#                    and its kernels (one degenerate cohort, pooling, launch environments, builds, the default
#                    build under every other supported Python found), calibrations, Dask ensembles, and the
#                    report and JupyterLab in Debian's chromium, installed here (~5 min); CI runs both
#                    (.ci/run on a fresh clone: 7.3 min, installation included)
#   make lint      - ruff check and ruff format --check (the first step of make test)
#   make coverage  - the fast tests with line coverage of analysis/ (pytest-cov)
#   make mutation  - mutation score of the statistics core (mutmut; ~30 min; not in CI)
#   make report    - render the executed notebooks and every figure/table as a static site in report/
#   make lab       - JupyterLab on the compendium (Jupytext sources open as notebooks; no autosave)
#   make lock      - re-resolve requirements.lock on all three Pythons (tools/lock.py; ~3 min)
# The Python: PYTHON=/path/to/python3.x if given; else .venv's own when it exists; else the newest of
# python3.13, python3.12, python3.11, python3 on PATH that runs and is supported. Each target says which;
# a PYTHON of another version than .venv's rebuilds .venv (its version is in .venv/.installed).
# Verified on this machine (2-core x86-64, Debian 12, pyenv 3.11.7, 3.12.1, 3.13.0), each from a fresh clone:
# make all and make test pass, and every committed figure, table and executed notebook is byte-identical
# (docs/pythons.md gives the times); tests/test_interpreters.py re-checks it in CI (make test-slow).
SUPPORTED := 3.13 3.12 3.11
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

.PHONY: python FORCE all install test lint test-slow unit nbval coverage mutation report lab browser lock clean help

all: $(STAMP)
	$(BIN)/python -m analysis run

install: $(STAMP)

SUPPORTED_TEXT := 3.11, 3.12 and 3.13
# "X.Y X.Y.Z executable" of an interpreter; empty when it does not run (e.g. a pyenv shim of a version not selected)
probe = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2], "%d.%d.%d" % sys.version_info[:3], sys.executable)' 2>/dev/null)
supported = $(filter $(SUPPORTED),$(firstword $(1)))
NEWEST = $(shell for c in python3.13 python3.12 python3.11 python3; do \
  v=$$($$c -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) && \
  case " $(SUPPORTED) " in (*" $$v "*) echo $$c; break;; esac; done)
VENV_PY := $(if $(wildcard $(BIN)/python),$(call probe,$(BIN)/python))
GIVEN := $(filter command line environment,$(origin PYTHON))
ifneq ($(GIVEN),)
  PY := $(call probe,$(PYTHON))
  PY_WHY := given as PYTHON=$(PYTHON)
else ifneq ($(call supported,$(VENV_PY)),)
  PY := $(VENV_PY)
  PYTHON := $(BIN)/python
  NEWEST_PY = $(if $(NEWEST),$(call probe,$(NEWEST)))
  # a newer supported minor version on PATH than .venv's: said, not imposed
  NEWER = $(filter-out $(firstword $(VENV_PY)),$(firstword $(filter $(firstword $(VENV_PY)) $(firstword $(NEWEST_PY)),$(SUPPORTED))))
  PY_WHY = .venv's own$(if $(NEWER),; $(NEWEST) is Python $(word 2,$(NEWEST_PY)): PYTHON=$(NEWEST) rebuilds .venv with it)
else
  PYTHON := $(NEWEST)
  PY := $(if $(PYTHON),$(call probe,$(PYTHON)))
  PY_WHY := the newest supported Python on PATH ($(NEWEST); PYTHON=... to choose another)
endif
PY_VERSION := $(word 2,$(PY))
# .venv made with another Python than the one chosen (or not working): rebuilt, never silently reused.
ifneq ($(and $(wildcard $(VENV)),$(PY_VERSION)),)
  ifneq ($(word 2,$(VENV_PY)),$(PY_VERSION))
    REBUILD := yes
  endif
endif

# Which Python, and why; a clear error when it is not a supported one (run before .venv is used or made).
python:
	@$(if $(call supported,$(PY)),true,echo "No supported Python: this compendium runs on Python $(SUPPORTED_TEXT)." \
	  "$(if $(GIVEN),PYTHON=$(PYTHON) is $(if $(PY),Python $(word 2,$(PY)),not a working interpreter).,No python3.13$(comma) python3.12$(comma) python3.11 or python3 on PATH is one.)" \
	  "Install one, or name it: make $(or $(MAKECMDGOALS),all) PYTHON=/path/to/python3.13" >&2; exit 1)
	@echo "Python $(PY_VERSION) ($(word 3,$(PY))): $(PY_WHY)$(if $(REBUILD),; .venv is $(if $(VENV_PY),Python $(word 2,$(VENV_PY)),not working): rebuilding it)"

comma := ,

$(STAMP): pyproject.toml requirements.lock $(if $(REBUILD),FORCE) | python
	$(if $(REBUILD),rm -rf $(VENV))
	[ -x $(BIN)/python ] || $(word 3,$(PY)) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
	$(BIN)/python -c 'import platform, sys; print(platform.python_version(), sys._base_executable)' > $(STAMP)

FORCE:

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

# Re-resolve the newest versions allowed by pyproject.toml and rewrite the lock file: resolved under 3.11, then
# 3.12 and 3.13 with the 3.11 pins as constraints, markers on what only some install (tools/lock.py). Needs
# all three (pyenv's, /usr/bin's or PATH's; LOCK_PYTHONS="py3.11 py3.12 py3.13" to name them).
lock: python
	$(PYTHON) tools/lock.py $(LOCK_PYTHONS)

clean:
	rm -rf $(VENV) *.egg-info

help:
	@sed -n '/^[^#]/q;p' Makefile
