# Two commands for users (run, test), three for developers (eval, bench, lint).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
SHARED  ?= ../shared
STAMP   := $(VENV)/.installed

.PHONY: run test eval bench lint train clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: install Tally, store the bundled examples in ./tally.db, print their series, serve the dashboard
run: $(STAMP)
	$(BIN)/tally ingest examples/
	$(BIN)/tally series
	@echo "Tally dashboard: http://127.0.0.1:8000/  (Ctrl-C stops it)"
	$(BIN)/tally serve --host 127.0.0.1 --port 8000

## test: install what the tests need (Python and Debian packages), then run the whole suite
test: $(STAMP)
	scripts/system-deps.sh
	$(BIN)/pytest -q

## eval: score extraction on ../shared/eval and the number suites
eval: $(STAMP)
	scripts/eval.sh $(SHARED)

## train: rebuild the decision layer's models from the gold of ../shared/eval (deterministic)
train: $(STAMP)
	$(BIN)/python -m tally.train --shared $(SHARED)

## bench: start-up per language; throughput and peak memory on ../shared/eval and ../shared/corpora, beside a full-spaCy baseline
bench: $(STAMP)
	$(BIN)/python bench/startup_bench.py
	$(BIN)/python bench/extract_bench.py --shared $(SHARED)
	$(BIN)/python bench/batch_bench.py --shared $(SHARED)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
