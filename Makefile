# Two commands do all the set-up (see README):
#   make run    - create .venv, install, run the main job on the embedded Suzhou data
#   make test   - create .venv, install with test extras, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test bench build-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null

run: install
	$(BIN)/atlas summary

test: install-test
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python scripts/bench_classify.py

build-data: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_units.py
	$(BIN)/python scripts/build_corridors.py
	$(BIN)/python scripts/update_manifest.py
