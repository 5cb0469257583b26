# Code for Germany / OK Lab site. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
LOCK := requirements.lock
STAMP := $(VENV)/.installed-from-lock

# The first Python >= 3.12 found: python3.13/python3.12 on PATH, then pyenv's, then python3.
define find_python
for candidate in python3.13 python3.12 python3; do \
  if command -v $$candidate >/dev/null 2>&1 && \
     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v $$candidate; exit 0; fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for version in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[23]\.[0-9]+$$' | sort -rV); do \
    prefix=$$(pyenv prefix $$version 2>/dev/null) && [ -x "$$prefix/bin/python3" ] && \
      { echo "$$prefix/bin/python3"; exit 0; }; \
  done; \
fi; \
exit 1
endef

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

$(STAMP): $(LOCK)
	@python_bin=$$( $(find_python) ) || { \
	  echo "No Python >= 3.12 found. Install Python 3.12 or 3.13 (e.g. 'apt-get install python3.12'"; \
	  echo "or 'pyenv install 3.12') and run make again."; exit 1; }; \
	echo "Using $$python_bin ($$($$python_bin --version))"; \
	[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  { rm -rf $(VENV); $$python_bin -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the locked dependencies

.PHONY: lock
lock: install ## Re-resolve pyproject.toml's ranges into requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 \
	  --generate-hashes --quiet -o $(LOCK)

.PHONY: translations
translations: install ## Compile the gettext catalogues (locale/*.po -> .mo)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install gettext"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv -v 0

.PHONY: messages
messages: install ## Extract UI strings into locale/de and locale/en
	$(MANAGE) makemessages -l de -l en --ignore=.venv --ignore=tests --no-obsolete --add-location=file

.PHONY: setup
setup: translations ## Migrate, load the demo content, sync the editor groups, make sure a local admin exists
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_content
	$(MANAGE) sync_lab_editors
	$(MANAGE) ensure_local_admin

.PHONY: demo-network
demo-network: setup ## Also import the network's whole site from ../shared/corpus (warnings in import.log)
	$(MANAGE) load_demo_content --corpus $(or $(CORPUS),../shared/corpus/codefor.de) 2> import.log
	@echo "Details of every warning: import.log"

.PHONY: run
run: setup ## Set everything up and serve the site on http://127.0.0.1:$(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: lint
lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: format
format: install ## Format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: test
test: lint translations ## Lint, check migrations, run every test (SQLite)
	DJANGO_SETTINGS_MODULE=site_oklab.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: install translations ## Run the database-bound tests against a throw-away PostgreSQL
	bash .ci/with-postgres $(VENV)/bin/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

.PHONY: bench
bench: install translations ## Throughput, queries, page weight, import time vs. targets (a few minutes)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; } || \
	  echo "wrk is not installed (apt-get install wrk): using the slower Python load client"
	$(PY) -m tests.benchmark

.PHONY: serve-production
serve-production: install translations ## collectstatic + gunicorn with the production settings
	DJANGO_SETTINGS_MODULE=site_oklab.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-production-trial-$$(date +%s)} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	  bash -c '$(MANAGE) collectstatic --no-input -v 0 && $(MANAGE) migrate --no-input -v 0 && \
	  $(VENV)/bin/gunicorn site_oklab.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3}'

.PHONY: backup
backup: install ## Database and media into one dated archive under backups/
	$(MANAGE) backup_site

.PHONY: restore
restore: ## Restore a backup: make restore FILE=backups/oklab-backup-....tar.gz (replaces db and media)
	@[ -n "$(FILE)" ] || { echo "Name the archive: make restore FILE=backups/oklab-backup-....tar.gz"; exit 2; }
	$(MANAGE) restore_site "$(FILE)"

.PHONY: clean
clean: ## Remove the virtualenv, collected static files and caches (keeps db and media)
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
