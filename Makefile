# Two commands do everything: `make run` and `make test`. Each sets up .venv on first use.
# The test tools are pinned (pyproject.toml's "test" extra, and .ci/test-constraints.txt for
# what they bring), so the same versions run here, on every developer's machine and in CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CONSTRAINTS := .ci/test-constraints.txt

.PHONY: run test test-busy lint typecheck bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' -c $(CONSTRAINTS)
	touch $(STAMP) $@

# The team's reference page is not in the repository; on a machine that has the shared folder
# beside the checkout, `make run` names it explicitly so the samples include it.
REFERENCE ?= $(wildcard ../shared/examples/input-stories.txt)

run: $(STAMP)
	READER_REFERENCE_EXAMPLE="$(REFERENCE)" $(BIN)/python main.py

test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check .
	$(BIN)/mypy

# `make test-busy`: the whole suite while every core is kept busy, to show that no test passes
# only on an idle machine (STYLE.md: a timeout is a generous bound, never the subject). Each
# core is burned by stress-ng when it is installed (apt-get install stress-ng), else by one
# shell loop per core; the recipe starts the burners and kills them when pytest ends, passed
# or not, and exits with pytest's status. Expect it to take two to three times `make test`.
test-busy: $(TEST_STAMP)
	@cores=$$(nproc); pids=""; \
	if command -v stress-ng >/dev/null; then \
		stress-ng --cpu "$$cores" --quiet & pids=$$!; \
	else \
		for i in $$(seq "$$cores"); do sh -c 'while :; do :; done' & pids="$$pids $$!"; done; \
	fi; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	echo "test-busy: $$cores core(s) burned by pid(s)$$pids"; \
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

# `make screenshots`: the README's pictures, made afresh from the bundled samples (never the
# reference page) in a temporary archive, by the window itself offscreen.
SCREENSHOTS := resources/screenshots

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python main.py --screenshots $(SCREENSHOTS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
