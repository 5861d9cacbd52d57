# The two commands of the README: `make demo` and `make test`.
# Each builds .venv from the registries on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench audit clean screenshots

$(STAMP): pyproject.toml
	# Builds before 2026-12 compiled the coder with mypyc into .so files beside
	# the sources; a stale one would shadow its .py, so none may survive.
	find src -name '*.so' -delete
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dyadwatch demo && $(BIN)/dyadwatch serve --store dyadwatch.duckdb --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run_eval.py

# Refreshes docs/screenshots/ from the browser tests (`make test` writes them to
# a temporary folder instead, so a test run leaves the working tree as it was).
screenshots: $(STAMP)
	DYADWATCH_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/web/test_web_browser.py

# Needs PyPI; not part of `make test`. See docs/RELIABILITY.md, "Dependency audit".
audit: $(STAMP)
	$(BIN)/python tools/audit_dependencies.py

clean:
	rm -rf $(VENV) dyadwatch.duckdb build
	find src -name '*.so' -delete

# The learned scorer's weights (src/dyadwatch/coder/scoring/data/scorer.npz), trained
# from the shared eval folder; the same SEED gives the same weights (docs/MODEL.md).
.PHONY: model
SHARED ?= ../shared
SEED   ?= 0
model: $(STAMP)
	$(BIN)/python -m dyadwatch.coder.scoring.train --eval $(SHARED)/eval --seed $(SEED)
