# `make run` and `make test` each do all set-up on a fresh Debian machine, then run.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP_DEB := $(VENV)/.debian-deps
STAMP_PIP := $(VENV)/.installed

.PHONY: run test lint bench setup clean screenshots package

run: setup
	$(PY) -m app

# ruff and mypy (configured in pyproject.toml), the whole suite, then the in-process suites again at a month end,
# 29 February, a daylight-saving change and the year's end (tests/shifted_clock.py), so no test can depend on
# today's date.
test: setup
	$(PY) -m ruff check app tests bench packaging
	$(PY) -m mypy
	$(PY) -m pytest -q -n 2
	$(PY) -m tests.shifted_clock -q -n 2 -p no:cacheprovider tests/unit tests/ui

lint: setup
	$(PY) -m ruff check app tests bench packaging
	$(PY) -m mypy

setup: $(STAMP_PIP)

$(STAMP_DEB): packaging/debian-packages.txt packaging/install-debian-deps.sh
	bash packaging/install-debian-deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP_PIP): pyproject.toml $(STAMP_DEB)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The one-folder bundle for this OS, checked with its own --self-test and archived in dist/.
package: setup
	$(PY) packaging/build.py

# The screenshots in docs/screenshots, taken on a virtual X screen with sample data.
XVFB := xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb
screenshots: setup
	$(XVFB) $(PY) -m tests.screenshots docs
	$(XVFB) $(PY) -m tests.screenshots_shell docs
	$(XVFB) $(PY) -m tests.screenshots_review docs
	$(XVFB) $(PY) -m tests.screenshots_reports docs
	$(XVFB) $(PY) -m tests.screenshots_pages docs
	$(XVFB) $(PY) -m tests.screenshots_learned docs

clean:
	rm -rf $(VENV) build dist .pytest_cache
