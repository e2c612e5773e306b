# Pilote QSE — developer entry points.
#
#   make install   Debian packages (as root, when missing), uv, .venv, translations
#   make run       local services + migrate + demo data + Celery + runserver (Ctrl-C stops)
#   make test      local services + pytest (PYTEST_ARGS="-k foo" to pass arguments)
#   make stop      stop the local PostgreSQL / Redis
#
# DATABASE_URL / REDIS_URL set in the environment are used as they are and the
# corresponding local service is not started.

SHELL := /bin/bash
PYTEST_ARGS ?=

.PHONY: install run test stop status

install:
	@scripts/install.sh

run: install
	@scripts/run.sh

test: install
	@scripts/test.sh $(PYTEST_ARGS)

stop:
	@scripts/services.sh stop

status:
	@scripts/services.sh status
