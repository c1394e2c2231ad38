# sgmbook: two commands set everything up.
#   make book   create .venv, install, build the HTML book into _build/html (warnings are errors)
#   make test   create .venv, install, run the unit tests and nbval on every chapter (strict mode)
#   make pdf    the book as one PDF (_build/latex/sgmbook.pdf; installs Debian TeX when root)
#   make lab    JupyterLab on book/ with the project's kernel
#   make check-site   build the book and open every page in headless Chromium (needs /usr/bin/chromium)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BOOK_STAMP := $(VENV)/.installed-book
SITE_STAMP := $(VENV)/.installed-site
LAB_STAMP := $(VENV)/.installed-lab

.PHONY: book test unit notebooks check-site bench clean install pdf tex lab set-repository

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[book,test]'
	touch $(STAMP)

# `make book` needs only the book extra (no test, browser or lab packages)
$(BOOK_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[book]'
	touch $(BOOK_STAMP)

$(SITE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[book,test,site]'
	touch $(SITE_STAMP)

# Always a clean build: Sphinx 7.4 does not overwrite static files already in the output, and an
# incremental build keeps other pages' sidebars stale when a chapter title changes (about 10 s).
book: $(BOOK_STAMP)
	rm -rf _build/html _build/.doctrees
	$(VENV)/bin/jupyter-book build -W -n --keep-going .

test: unit notebooks

unit: $(STAMP)
	$(PY) -m pytest -q tests --ignore=tests/site

notebooks: $(STAMP)
	$(PY) -m pytest -q --nbval --nbval-current-env -p no:cacheprovider -n auto --dist loadscope book

# Opens every page of the built book in headless Chromium (Debian's chromium package).
check-site: book $(SITE_STAMP)
	$(PY) -m pytest -q tests/site

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build

# The whole book as one PDF through XeLaTeX: _build/latex/sgmbook.pdf. Needs Debian's TeX packages (tex).
TEX_PACKAGES := texlive-latex-extra texlive-xetex texlive-fonts-recommended lmodern fonts-freefont-otf latexmk poppler-utils
tex:
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	  else echo "TeX is missing: sudo apt-get install --no-install-recommends $(TEX_PACKAGES)" >&2; exit 1; fi; }

pdf: $(BOOK_STAMP) tex
	$(VENV)/bin/jupyter-book build --builder pdflatex .
	@echo "PDF: _build/latex/sgmbook.pdf"

# JupyterLab on the chapters, from the project's own environment, with its kernel registered.
$(LAB_STAMP): $(BOOK_STAMP)
	$(PY) -m pip install --quiet -e '.[book,lab]'
	$(PY) -m ipykernel install --sys-prefix --name sgmbook --display-name "Python (sgmbook)"
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=book $(LAB_ARGS)

# Write the repository address everywhere: make set-repository URL=https://github.com/OWNER/NAME [BRANCH=main]
set-repository: $(BOOK_STAMP)
	$(PY) tools/set_repository.py --url "$(URL)" $(if $(BRANCH),--branch $(BRANCH))
