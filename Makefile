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

.PHONY: install install-dev run ingest test lint eval eval-external bench clean

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

# The gate: the project's eval sets against evals/thresholds.yaml (exit 1 names the metric).
eval: install
	$(BIN)/assistant eval --report eval-report

# External benchmarks (not in the gate: they read ../shared/data, which users do not have).
DATA ?= ../shared/data
eval-external: install
	$(BIN)/assistant eval --rgb $(DATA)/rgb-counterfactual/dev.jsonl \
		--multihop $(DATA)/multihop-rag --climate-fever $(DATA)/climate-fever/dev.jsonl \
		--report eval-report/external

# Scale benchmarks, run by hand (results in benchmarks/results/*.json); SIZES=100000 on request.
SIZES ?= 1000 10000
bench: install
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)

test: install-dev
	$(BIN)/ruff check assistant tests
	$(BIN)/pytest
	$(BIN)/assistant eval --report eval-report

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache eval-report
	find index -mindepth 1 ! -name .gitignore -exec rm -rf {} +
