# Pilote QSE — developer entry points.
#
#   make install   Debian packages (as root, when missing), uv, .venv, translations
#   make run       local services + migrate + demo data + Celery + runserver (Ctrl-C stops)
#   make test      local services + pytest (PYTEST_ARGS="-k foo" to pass arguments)
#   make bench     the benchmark at 1/100 and 1/10 of a large group (see README)
#   make stop      stop the local PostgreSQL / Redis
#
# DATABASE_URL / REDIS_URL set in the environment are used as they are and the
# corresponding local service is not started.

SHELL := /bin/bash
PYTEST_ARGS ?=

.PHONY: install run test stop status bench

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

# Not part of `make test`: builds bench_qse_<scale> databases (BENCH_SCALES="0.01 0.1") and
# exits non-zero when a DESIGN.md budget is broken. See README, "Benchmark".
bench: install
	@scripts/bench.sh
