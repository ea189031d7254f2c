# Quick start on a fresh Debian/Ubuntu machine:
#   make handbook   set up everything on first run, then build every handbook into output/
#   make test       run the test suite (real WeasyPrint renders, real EPUBCheck, DAISY Ace)
#   make test-fast  the tests that neither render, validate nor start a process (seconds)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Noto fonts for the default theme, Pango/HarfBuzz for WeasyPrint,
# poppler for reading PDFs back in the tests. Java (for EPUBCheck) is added when no
# `java` is on the PATH. HarfBuzz-subset makes WeasyPrint's font subsetting ~7x faster.
DEBIAN_PACKAGES := fonts-noto-core fonts-noto-cjk fontconfig libpango-1.0-0 \
	libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils libgs-common

# DAISY Ace checks the EPUBs' accessibility in the tests; it runs in Debian's Chromium
# (puppeteer's own download is skipped) and lives in .tools/, out of git.
ACE_VERSION := 1.4.6
TOOLS := .tools
ACE := $(TOOLS)/ace/installed-$(ACE_VERSION)
TEST_PACKAGES := chromium gettext ghostscript
# The reading edition (HTML) is opened in the same Chromium by puppeteer-core and checked
# with axe-core (tests/test_html_edition.py); also in .tools/, out of git.
PUPPETEER_VERSION := 24.43.1
AXE_VERSION := 4.11.4
BROWSER := $(TOOLS)/browser/installed-$(PUPPETEER_VERSION)-$(AXE_VERSION)

.PHONY: handbook test test-fast setup system-packages test-packages test-tools lint clean benchmark

handbook: setup
	$(BIN)/booklet build

# Every test, on every CPU; each module's tests in one worker, so a fixture a module
# renders once is rendered once.
test: setup test-tools
	$(BIN)/pytest -n auto --dist loadfile

# After every edit: what does not render, validate or start a process. A test that does
# and lacks its marker fails here, saying which (tests/conftest.py).
FAST_LAYER := not (render or epubcheck or ace or subprocess or slow)
test-fast: $(VENV)/.installed
	BOOKLET_FAST_LAYER=1 $(BIN)/pytest -q -m "$(FAST_LAYER)"

test-tools: $(ACE) $(BROWSER)

$(BROWSER): | test-packages
	rm -rf $(TOOLS)/browser
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix $(TOOLS)/browser \
	  puppeteer-core@$(PUPPETEER_VERSION) axe-core@$(AXE_VERSION)
	touch $@

$(ACE): | test-packages
	rm -rf $(TOOLS)/ace
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix $(TOOLS)/ace \
	  @daisy/ace-cli@$(ACE_VERSION)
	touch $@

# Chromium for Ace, and Node/npm when no npm is on the PATH.
test-packages:
	@missing=""; \
	for pkg in $(TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Lint needs only the venv, not the Debian fonts and libraries.
lint: $(VENV)/.installed
	$(BIN)/ruff check booklet tests benchmarks
	$(BIN)/ruff format --check booklet tests benchmarks
	$(BIN)/mypy

benchmark: setup
	$(BIN)/python benchmarks/build_speed.py

setup: system-packages $(VENV)/.installed

# Installs only what is missing; uses sudo when not run as root.
system-packages:
	@missing=""; \
	for pkg in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null && \
	  fc-cache -f >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) output .pytest_cache .ruff_cache .mypy_cache
