# The two commands for a new machine: `make demo` and `make test`; `make test-fast` while working.
PYTHON ?= python3
# the slow kinds of test (pytest.ini names them): `make test-fast` leaves them out
SLOW = subprocess_tools or distributed or training_e2e or onnx_export or native_build or browser

.PHONY: install test test-fast demo

install:
	$(PYTHON) -m pip install -q -e ".[test]"

test: install
	$(PYTHON) -m pytest -q tests

# every package's unit tests, in under two minutes on two idle cores; run `make install` once first
test-fast:
	$(PYTHON) -m pytest -q -m "not ($(SLOW))" tests

demo: install
	$(PYTHON) tools/demo.py
