# Two commands matter: `make run` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
SERVE := $(VENV)/.installed-serve
PACK := $(VENV)/.installed-pack
PORT ?= 8501
# `make serve`: how many Streamlit processes.
REPLICAS ?= 2
# BIND: the interface the atlas listens on, 127.0.0.1 (this machine only) or 0.0.0.0 (reachable
# from the room's network). `make run` is for this machine unless told (`BIND=0.0.0.0 make run`);
# `make serve` is for a lecture hall and listens on every interface unless told (BIND=127.0.0.1).
run: BIND ?= 127.0.0.1
serve: BIND ?= 0.0.0.0
# The address Streamlit prints and trusts. Set, so that Streamlit never asks a server on the
# internet for this machine's address (it does, headless, when it listens on every interface and
# has none); on every interface it is this machine's name, which asks no one.
RUN_ADDRESS = $(if $(filter 0.0.0.0 ::,$(BIND)),$(shell hostname),$(if $(filter 127.0.0.1,$(BIND)),localhost,$(BIND)))

.PHONY: run serve pack test etl update lint typecheck pytest bench screenshots audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(SERVE): pyproject.toml constraints.txt $(RUNTIME)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[serve]'
	touch $@

$(PACK): pyproject.toml constraints.txt $(RUNTIME)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[pack]'
	touch $@

# The dev tools include everything `make run`, `make serve` and `make pack` need (their tests run
# them), installed in one go with uv (pinned in constraints.txt, installed by pip): one resolution and
# parallel downloads, 12 s on a fresh clone against 61 s for pip's two installs (2026-12-05; uv
# compiles no bytecode, which the first imports then do). The same pins either way. uv does not read
# pip's configuration: where it cannot be installed or cannot reach an index that pip can, pip
# installs them.
$(DEV): pyproject.toml constraints.txt | $(BIN)/python
	( $(BIN)/python -m pip install --quiet -c constraints.txt uv \
		&& $(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[dev]' ) \
		|| $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(RUNTIME) $(SERVE) $(PACK)

run: $(RUNTIME)
	$(BIN)/streamlit run deploy/atlas.py --server.port $(PORT) --server.address $(BIND) --browser.serverAddress $(RUN_ADDRESS)

# A lecture hall: REPLICAS processes behind Caddy on one address (printed); Ctrl-C stops them all.
serve: $(SERVE)
	$(BIN)/python scripts/serve.py --replicas $(REPLICAS) --port $(PORT) --bind $(BIND)

etl: $(RUNTIME)
	$(BIN)/python -m etl

# The Online Labour Index's newest files from figshare (the only command that uses the network:
# api.figshare.com and ndownloader.figshare.com), checked, cited, then the ETL; all or nothing.
update: $(RUNTIME)
	$(BIN)/python -m etl.update

# The classroom pack: dist/pack/ and dist/atlas-pack.zip, the story and every chart as static pages
# (no Python, no network needed to open them). DATE=YYYY-MM-DD sets the date it states (default:
# SOURCE_DATE_EPOCH, else the last commit's). The images need Chromium (installed as for the tests).
pack: $(PACK)
	scripts/ensure-chromium
	BROWSER_PATH=/usr/bin/chromium $(BIN)/python -m pack $(if $(DATE),--date $(DATE))

LINTED := etl dashboard tests scripts benchmarks deploy pack

lint: $(DEV)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(DEV)
	$(BIN)/mypy etl dashboard deploy pack scripts/serve.py

pytest: $(DEV)
	scripts/ensure-chromium
	$(BIN)/pytest

# The three checks at once, then the tests: the audit mostly waits on PyPI and mypy uses one core
# (run one after the other they took 34 s of a fresh clone's `make test`, at once 19 s).
test: $(DEV)
	@$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck audit
	@$(MAKE) --no-print-directory pytest

audit: $(DEV)
	$(BIN)/python scripts/audit.py

bench: $(DEV)
	scripts/ensure-chromium
	$(BIN)/python -m benchmarks

screenshots: $(DEV)
	scripts/ensure-chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist
