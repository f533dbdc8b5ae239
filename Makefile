# Two entry points for a fresh machine: `make demo` and `make test`.
# torch is installed first and pinned: the CPU build 2.13.0 is the one this project is tested
# with, and letting the resolver pick torch pulls a multi-GB CUDA build.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MTCHECK := $(VENV)/bin/mtcheck
DEMO ?= corpora/windpark
STAMP := $(VENV)/.mtcheck-installed

.PHONY: setup demo test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	@if $(MTCHECK) model info >/dev/null 2>&1; then \
		$(MTCHECK) check $(DEMO).de.txt --reference $(DEMO).en.txt; \
	else \
		echo "The back-translation model is not installed here (run '$(MTCHECK) model download' on a machine with network access, or set MTCHECK_MODEL=/path/to/model); showing the German flags only." >&2; \
		$(MTCHECK) check $(DEMO).de.txt --reference $(DEMO).en.txt --no-backtranslation; \
	fi

test: setup
	$(PY) -m pytest -q

lint: setup
	$(PY) -m ruff check src tests scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
