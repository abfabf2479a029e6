# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A CPU build of torch, installed before anything that depends on it: a plain `torch`
# requirement would pull a multi-GB CUDA build.
TORCH := torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 7860

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install install-dev run ingest test lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

ingest: install
	$(BIN)/assistant ingest || echo "Some sources could not be read (listed above); serving the rest."

run: ingest
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check assistant tests

test: install-dev
	$(BIN)/ruff check assistant tests
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find index -mindepth 1 ! -name .gitignore -exec rm -rf {} +
