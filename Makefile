# Two commands on a fresh machine with Python 3.11:
#   make all   - create .venv, install the pinned environment, execute every notebook
#   make test  - same installation (and Debian's chromium when run as root), then the unit tests,
#                the headless-browser check of the HTML report and the nbval regression of notebooks/executed
#                (~10 min on 2 cores; tests marked slow are left to `make test-slow`)
#   make test-slow - the slow tests: whole runs through the runner (degenerate cohorts, pooling, launch
#                environments, builds), calibrations, Dask ensembles, browsers (~7 min); CI runs both
#   make report - render the executed notebooks and every figure/table as a static site in report/
#   make lab    - JupyterLab on the compendium (Jupytext sources open as notebooks; no autosave)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Nothing is exported: the runner fixes every setting that changes output bytes for the kernels it
# starts (analysis/build/environment.py), so `make all` and `python -m analysis run` give the same bytes.

NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 600

.PHONY: all install test test-slow unit nbval report lab browser lock clean help

all: $(STAMP)
	$(BIN)/python -m analysis run

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
	touch $(STAMP)

# Unit tests and the notebook regression in one pytest session (one summary line); `make test-slow`
# the rest. .ci/run runs both: every test runs in CI.
test: $(STAMP) browser
	$(BIN)/python -m pytest -m "not slow" tests notebooks/executed $(NBVAL_OPTS)

test-slow: $(STAMP) browser
	$(BIN)/python -m pytest -m slow tests

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest notebooks/executed $(NBVAL_OPTS)

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
	@sed -n '1,5p' Makefile
