# Renfang: the two commands of the README, and a few helpers.
.PHONY: demo test test-sqlite test-postgres lint bench setup

# 1. set up and run the demo (SQLite, embedded MQTT broker, task worker, demo city, logins printed)
demo:
	scripts/setup.sh
	RENFANG_DEBUG=true .venv/bin/python manage.py rundemo

# 2. set up and run the whole test suite on SQLite and on PostgreSQL, browser tests included
test:
	scripts/setup.sh --test
	scripts/test.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/python scripts/check_engine_purity.py
	.venv/bin/mypy renfang/engine

bench:
	scripts/setup.sh --bench
	.venv/bin/python bench/run_all.py
