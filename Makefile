# Two commands do all the set-up (see README):
#   make run    - create .venv, install, fetch the web assets, run the app on the embedded Suzhou data
#   make test   - the same plus test extras, Debian's Chromium and CJK fonts, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run serve test test-fast lint install install-test assets system-deps bench build-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null

# Leaflet and plugins from the npm registry (pinned by assets/package-lock.json), copied into
# static/vendor where the app serves them itself: the page needs no CDN.
assets: $(BIN)/python
	cd assets && npm ci --no-fund --no-audit --loglevel=error
	$(BIN)/python -m atlas_web.assets >/dev/null

system-deps:
	bash scripts/install_system_deps.sh

# The settings (atlas_core/settings.py) are checked first; Streamlit takes the upload limit from them
run: install assets
	$(BIN)/python -m atlas_core.settings
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.maxUploadSize $$($(BIN)/python -m atlas_core.settings max_upload_mb)

# For a bureau's server: nginx (Debian's, see system-deps) serves the front end, Streamlit the app
serve: install assets system-deps
	$(BIN)/python scripts/serve.py --port $(PORT)

# ruff (lint + format check) and mypy, configured in pyproject.toml; `make test` runs them first
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install-test assets system-deps lint
	$(BIN)/python -m pytest

# The development loop: everything but the browser and slow tests (see docs/architecture.md)
test-fast: install-test assets
	$(BIN)/python -m pytest -q -m "not browser and not slow"

bench: install-test assets system-deps
	$(BIN)/python -m pip install --quiet -e '.[compare]'
	$(BIN)/python scripts/bench_addresses.py
	$(BIN)/python scripts/bench_classify.py
	$(BIN)/python scripts/bench_app.py
	$(BIN)/python scripts/bench_export.py
	$(BIN)/python scripts/bench_userdata.py
	$(BIN)/python scripts/bench_load.py
	$(BIN)/python scripts/bench_database.py
	$(BIN)/python scripts/bench_report.py

build-data: $(BIN)/python  # PLAN=path/to/the/action-plan.txt (its text is read here only, never committed)
	@test -n "$(PLAN)" || { echo "give the plan's text file: make build-data PLAN=path/to/plan.txt"; exit 2; }
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_units.py
	$(BIN)/python scripts/build_water.py
	$(BIN)/python scripts/build_context.py
	$(BIN)/python scripts/build_corridors.py
	$(BIN)/python scripts/build_plan_mentions.py "$(PLAN)"
	$(BIN)/python scripts/update_manifest.py
