# Developer shortcuts. The README's two commands need nothing but python3.
VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: install test lint demo clean

$(PY):
	python3 -m venv $(VENV)

install: $(PY)
	$(VENV)/bin/pip install -q -e '.[test]'

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/mypy

demo: install
	$(VENV)/bin/coopgraph build
	$(VENV)/bin/coopgraph export turtle -o haiphong.ttl
	$(VENV)/bin/coopgraph viz -o haiphong.html
	$(VENV)/bin/coopgraph report -o haiphong-report

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache haiphong.ttl haiphong.html coopgraph.html haiphong-report coopgraph.png
	find . -name .coopgraph -type d -prune -exec rm -rf {} +
