# Entry points for a fresh machine: `make demo` (the core package only: German flags) and
# `make test` (everything the suite needs, as CI runs it through .ci/run).
# torch is installed first and pinned to the CPU build 2.13.0, the one this project is tested
# with: letting the resolver pick torch pulls a multi-GB CUDA build.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MTCHECK := $(VENV)/bin/mtcheck
DEMO ?= corpora/windpark
TORCH ?= torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
CORE_STAMP := $(VENV)/.mtcheck-core
MODEL_STAMP := $(VENV)/.mtcheck-model
TEST_STAMP := $(VENV)/.mtcheck-test

.PHONY: setup setup-model demo test lint clean

setup: $(CORE_STAMP)

# The core: flags, scores, readers, reports, gate and audit; no torch.
$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# The CPU build of torch: from pip's configured sources when they hold it (a local wheel
# folder, pip's find-links), else from PyTorch's CPU index; never the CUDA build from PyPI,
# which has no '+cpu' version.
define install_torch
	$(PY) -m pip install --quiet '$(TORCH)' 2>/dev/null || \
		$(PY) -m pip install --quiet '$(TORCH)' --extra-index-url $(TORCH_INDEX)
endef

# Back-translation: torch (CPU), transformers and CTranslate2 (mtcheck[fast]).
setup-model: $(MODEL_STAMP)

$(MODEL_STAMP): $(CORE_STAMP)
	$(install_torch)
	$(PY) -m pip install --quiet -e '.[fast]'
	touch $@

$(TEST_STAMP): $(CORE_STAMP)
	$(install_torch)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(MODEL_STAMP) $@

demo: setup
	@if $(MTCHECK) model info >/dev/null 2>&1; then \
		$(MTCHECK) check $(DEMO).de.txt --reference $(DEMO).en.txt; \
	else \
		echo "Back-translation is not set up here ('make setup-model' installs its packages, then '$(MTCHECK) model download' fetches the model on a machine with network access, or set MTCHECK_MODEL=/path/to/model); showing the German flags only." >&2; \
		$(MTCHECK) check $(DEMO).de.txt --reference $(DEMO).en.txt --no-backtranslation; \
	fi

test: $(TEST_STAMP)
	$(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(PY) -m ruff check src tests scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
