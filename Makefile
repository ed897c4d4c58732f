# Afghan Resistance Workbook — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := assets/node_modules/.installed
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help setup test test-fast lint reports refresh lab demo-data bench bench-sweep clean-cache assets notebooks

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,cluster]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbook)" >/dev/null
	touch $(STAMP)

setup: $(STAMP) $(ASSETS) ## create .venv (venv + pip: the project, its test and cluster extras) and install the map libraries

$(ASSETS): assets/package.json assets/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed once, to install the map libraries the reports embed (apt-get install npm)"; exit 1; }
	npm ci --prefix assets --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

assets: $(ASSETS) ## install the pinned map libraries (Leaflet and plugins) reports embed, from npm

test: $(STAMP) $(ASSETS) ## run the whole test suite (creates the venv if missing)
	$(BIN)/python -m pytest -n $(JOBS) -q

test-fast: $(STAMP) ## run the tests that do not start kernels or browsers
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(STAMP) ## ruff over the package, tests, benchmarks and the notebook sources
	$(BIN)/ruff check helpers tests benchmarks notebooks

reports: $(STAMP) $(ASSETS) ## render every notebook on the demo data into reports/ (creates the venv if missing)
	$(BIN)/python -m helpers.reports --jobs $(JOBS)

refresh: $(STAMP) $(ASSETS) ## fetch what changed at ACLED, UCDP and HDX (sources whose variables are set), then re-render the reports it affects
	$(BIN)/python -m helpers.fetch all
	$(BIN)/python -m helpers.reports --jobs $(JOBS)

lab: $(STAMP) ## open JupyterLab (jupytext pairs: saving a notebook writes its .py and .ipynb)
	$(BIN)/jupyter lab --notebook-dir=notebooks

notebooks: $(STAMP) ## bring each notebook's .ipynb in step with its .py source (jupytext --sync)
	cd notebooks && ../$(BIN)/jupytext --sync 0*.py

demo-data: $(STAMP) ## regenerate the synthetic demo events in data/demo/
	$(BIN)/python -m helpers.data.demo

bench: $(STAMP) ## run the benchmarks (ingest, refresh, notebooks) and print their ratios
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/refresh.py
	$(BIN)/python benchmarks/notebooks.py

bench-sweep: $(STAMP) ## the full sweep benchmark: 5 themes x 34 provinces, plain loop vs runner vs Dask (~20 min)
	$(BIN)/python benchmarks/sweep.py --dask

clean-cache: ## delete the derived Arrow cache in data/processed/
	rm -rf data/processed
