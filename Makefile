# sgmbook: two commands set everything up.
#   make book   create .venv, install, build the HTML book into _build/html (warnings are errors)
#   make test   create .venv, install, run the unit tests and nbval on every chapter (strict mode)
#   make check-site   build the book and open every page in headless Chromium (needs /usr/bin/chromium)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test unit notebooks check-site bench clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[book,test,site]'
	touch $(STAMP)

# Always a clean build: Sphinx 7.4 does not overwrite static files already in the output, and an
# incremental build keeps other pages' sidebars stale when a chapter title changes (about 10 s).
book: $(STAMP)
	rm -rf _build/html _build/.doctrees
	$(VENV)/bin/jupyter-book build -W -n --keep-going .

test: unit notebooks

unit: $(STAMP)
	$(PY) -m pytest -q tests --ignore=tests/site

notebooks: $(STAMP)
	$(PY) -m pytest -q --nbval --nbval-current-env -p no:cacheprovider -n auto --dist loadscope book

# Opens every page of the built book in headless Chromium (Debian's chromium package).
check-site: book
	$(PY) -m pytest -q tests/site

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build
