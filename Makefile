# The two commands for a new machine: `make demo` and `make test`.
PYTHON ?= python3

.PHONY: install test demo

install:
	$(PYTHON) -m pip install -q -e ".[test]"

test: install
	$(PYTHON) -m pytest -q tests

demo: install
	$(PYTHON) tools/demo.py
