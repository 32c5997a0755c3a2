# gdm: the commands a user types. `make book` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
SMOKE := build/smoke

.PHONY: setup data notebooks book test benchmark lab clean

## setup: a virtual environment with the pinned packages and gdm (editable), plus the data step
setup: $(VENV)/.installed data

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -e .
	touch $@

## data: Debian's packages where apt can install them (as root or with password-less sudo):
## dataset-fashion-mnist (else 'fashion-mnist' uses torchvision's downloader) and chromium, the
## headless browser of the book test (else that test is skipped, saying so); optional, never fatal
DEBIAN_PACKAGES := $(if $(wildcard /usr/share/datasets/fashion-mnist),,dataset-fashion-mnist) \
  $(if $(shell command -v chromium chromium-browser google-chrome 2>/dev/null),,chromium)
data:
	@if [ -n "$(strip $(DEBIAN_PACKAGES))" ] && command -v apt-get >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get update -qq >/dev/null 2>&1; \
	  for pkg in $(DEBIAN_PACKAGES); do \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$pkg >/dev/null 2>&1 \
	    && echo "installed Debian's $$pkg" \
	    || echo "note: Debian's $$pkg not installed (no root, no password-less sudo, or apt failed): without \
	dataset-fashion-mnist 'fashion-mnist' uses torchvision's downloader; without chromium the book test is skipped"; \
	  done; \
	fi

## notebooks: execute every chapter with its default (cpu) parameters, in place, JOBS at a time with
## one thread each, timed (results/execution.json, book/status.md); runs are read from the store
## (results/runs/) or the run cache, else trained. FROM_SCRATCH=1: ignore both, retrain every run
## (resumable) and report per chapter how far the numbers land from the previous ones
JOBS ?= 2
FROM_SCRATCH ?=
notebooks: setup
	$(BIN)/python -m gdm.execute --jobs $(JOBS) $(if $(FROM_SCRATCH),--from-scratch,)

## book: notebooks, then the HTML book (Sphinx warnings are errors)
book: notebooks
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo; echo "The book is at $(CURDIR)/_build/html/index.html"

## test: unit tests, then every notebook run by nbval with its smoke parameters, TEST_WORKERS processes
## at once (pytest-xdist; default: the machine's cores, at most 4), each file's tests in one process (a
## notebook's cells share a kernel), each process with its own GDM_HOME under build/test-home
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
test: setup
	rm -rf $(SMOKE) build/test-home && mkdir -p $(SMOKE)
	@for nb in $(NOTEBOOKS); do \
	  slug=$$(basename $$nb .ipynb); slug=$${slug#*_}; \
	  $(BIN)/papermill --prepare-only -k python3 --log-level WARNING \
	    -f notebooks/params/smoke/$$slug.yaml $$nb $(SMOKE)/$$(basename $$nb) || exit 1; \
	done
	GDM_HOME=$(CURDIR)/build/test-home GDM_PROGRESS=0 $(BIN)/python -m pytest tests $(SMOKE) \
	  --nbval-lax --nbval-current-env -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=20

## benchmark: results/benchmarks.json (the machine's matrix-product rates, gdm's loop against a bare
## PyTorch loop per family, bfloat16 against float32, seeds as one batched model, threads); the speed
## of the standard metrics and of MMD²; the toy runs alone against groups of 1, 5, 10
benchmark: setup
	$(BIN)/python benchmarks/suite.py
	$(BIN)/python benchmarks/metrics_speed.py
	$(BIN)/python benchmarks/mmd_speed.py
	$(BIN)/python benchmarks/group_speed.py

## lab: JupyterLab in the project's environment, at the repository root on port 8888 (the book's
## "JupyterLab (local)" launch entry opens chapters there)
lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.port=8888 --ServerApp.port_retries=0

clean:
	rm -rf _build build
