# Two commands matter: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_APP  := $(VENV)/.installed-app
STAMP_TEST := $(VENV)/.installed-test
STAMP_NPM  := node_modules/.installed
VENDOR     := static/vendor/htmx.min.js static/vendor/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app:create_app

.PHONY: run test install install-test assets translations instance migrate lint bench clean extract-messages

run: install migrate
	PUSH_WORKER_IN_APP=1 $(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/python scripts/check_words.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP_APP) assets translations instance

install-test: install $(STAMP_TEST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_APP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_APP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The vendor files (below), then every CSS, JS and SVG file compressed once: brotli and gzip
# files next to it, served as they are; only those missing or older than their source are written.
assets: $(VENDOR) $(STAMP_APP)
	$(BIN)/python scripts/precompress.py

# Front-end packages come from the npm registry at install time and are served by the app.
static/vendor/htmx.min.js: $(STAMP_NPM)
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

static/vendor/axe.min.js: $(STAMP_NPM)
	mkdir -p static/vendor
	cp node_modules/axe-core/axe.min.js $@

translations: $(STAMP_APP)
	$(BIN)/pybabel -q compile -d translations

instance: $(STAMP_APP)
	$(BIN)/flask instance init

migrate: install
	$(BIN)/flask db upgrade

extract-messages: $(STAMP_APP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header --sort-output --ignore-dirs='.* _* node_modules tests bench migrations scripts static' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/fill_english.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_words.py

bench: install-test
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/conversation.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/kill9_writes.py
	$(BIN)/python bench/push_faults.py

clean:
	rm -rf $(VENV) node_modules static/vendor
