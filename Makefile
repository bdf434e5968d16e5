# Holocarbon — two commands on a fresh machine:
#   make serve   virtual environment + requirements + source files + processed pack, then serve the app
#   make test    the same plus test dependencies and Debian chromium, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
APT_PACKAGES := chromium chromium-driver fonts-dejavu-core
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-unit report setup setup-dev data pack chromium chromium-optional wrk bench clean-pack

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

data: setup
	$(BIN)/python -m engine sources fetch

pack: data
	$(BIN)/python -m engine pack build

serve: pack chromium-optional
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

chromium:
	@if [ -x /usr/bin/chromium ] && dpkg -s fonts-dejavu-core >/dev/null 2>&1; then echo "chromium: $$(/usr/bin/chromium --version)"; \
	else $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); fi

# make serve tries to install chromium (chart exports render with it) but serves without it, saying what is missing
chromium-optional:
	@if [ -x /usr/bin/chromium ] && dpkg -s fonts-dejavu-core >/dev/null 2>&1; then echo "chromium: $$(/usr/bin/chromium --version)"; \
	else ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES)) \
	  || echo "warning: Debian chromium could not be installed: pages, maps and the API work, chart exports (PNG/SVG/PDF) answer 503 until it is (apt-get install chromium fonts-dejavu-core)"; fi

wrk:
	@if [ -x /usr/bin/wrk ]; then echo "wrk: $$(/usr/bin/wrk --version 2>&1 | head -n 1)"; \
	else $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; fi

test: setup-dev chromium
	$(BIN)/python -m engine sources fetch -q
	$(BIN)/python -m engine pack build
	$(BIN)/python -m pytest

test-unit: setup-dev
	$(BIN)/python -m pytest tests/unit

report: pack
	$(BIN)/python -m components.render.report

bench: setup-dev chromium wrk pack
	$(BIN)/python bench/pack.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/uncertainty.py
	$(BIN)/python bench/grid.py
	$(BIN)/python bench/atlas.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/firstload.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/load.py

clean-pack:
	rm -rf "$${HOLOCARBON_DATA:-$${XDG_CACHE_HOME:-$$HOME/.cache}/holocarbon}/pack"
