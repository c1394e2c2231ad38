# sgmbook: two commands set everything up.
#   make book   create .venv, install, build the HTML book into _build/html (warnings are errors)
#   make test   create .venv, install, run the unit tests and nbval on every chapter (strict mode)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test unit notebooks bench clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[book,test]'
	touch $(STAMP)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build -W -n --keep-going .

test: unit notebooks

unit: $(STAMP)
	$(PY) -m pytest -q tests

notebooks: $(STAMP)
	$(PY) -m pytest -q --nbval --nbval-current-env -p no:cacheprovider book

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build
