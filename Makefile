# Two commands a newcomer needs (see README): `make serve` and `make test`.
# Both install what is missing first; nothing here downloads a browser.

VENV    ?= .venv
PY      := $(VENV)/bin/python
PYTHON  ?= python3
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
export HF_HUB_OFFLINE := 1             # models from config classes only: nothing is downloaded

.PHONY: serve test build notebooks new measure install chromium clean

# Re-install only when the pinned requirements change.
$(STAMP): requirements.txt package.json package-lock.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP)

serve: $(STAMP)  ## install, then serve both languages with live reload at http://127.0.0.1:8000
	SITE_URL=http://127.0.0.1:8000/ $(VENV)/bin/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

test: $(STAMP) chromium  ## install (Chromium included where possible), then run every test
	$(PY) -m pytest

build: $(STAMP)  ## strict build of both languages into site/
	$(VENV)/bin/mkdocs build --strict --clean

notebooks: $(STAMP)  ## execute all notebooks (NB=name for one) and refresh their Colab copies
	$(PY) scripts/notebooks.py $(NB)

new: $(STAMP)  ## scaffold a question: make new ARGS='--section classic-nlp/metrics --difficulty middle --title-ru "…" --title-en "…"'
	$(PY) scripts/new_question.py $(ARGS)

measure: $(STAMP)  ## time a clean build, report pages and sizes
	$(PY) scripts/measure.py

# Debian's chromium for the browser tests; installed only when we are root
# and it is missing (CI and fresh machines here). Playwright never downloads one.
chromium:
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found: install Debian's 'chromium' package (or set CHROMIUM_PATH) for the browser tests"; exit 1; fi

clean:
	rm -rf site .cache
