#!/usr/bin/env bash
# Static checks, then the whole test suite on SQLite and on PostgreSQL (browser tests included).
# PostgreSQL: DATABASE_URL_TEST_PG, default postgres://postgres@127.0.0.1:5432/renfang (the test run
# creates and drops test_renfang). On CI (CI=true) a missing PostgreSQL is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

log "ruff"
ruff check .
log "engine purity"
python scripts/check_engine_purity.py
log "mypy (strict for renfang/engine)"
mypy renfang/engine
log "migrations are up to date"
RENFANG_DEBUG=true python manage.py makemigrations --check --dry-run >/dev/null
log "translations are complete"
python scripts/check_translations.py

# the alarm tests talk to a real MQTT broker: a private Mosquitto (installed by setup.sh --test) on a free
# port, configured as production is (docs/deployment.md): no anonymous clients, a password per account, an
# ACL per terminal topic. Its accounts reach the tests through the environment.
port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
broker_dir="$(mktemp -d "${TMPDIR:-/tmp}/renfang-mosquitto.XXXXXX")"
eval "$(python scripts/mosquitto_config.py "$broker_dir" "$port" acl-terminal-1 acl-terminal-2)"
log "starting Mosquitto with accounts and an ACL on 127.0.0.1:$port"
/usr/sbin/mosquitto -c "$broker_dir/mosquitto.conf" &
mosquitto_pid=$!
trap 'kill $mosquitto_pid 2>/dev/null || true; rm -rf "$broker_dir"' EXIT
for _ in $(seq 50); do
  python - "$port" <<'PY' && break
import socket, sys
sys.exit(socket.socket().connect_ex(("127.0.0.1", int(sys.argv[1]))))
PY
  sleep 0.1
done

log "tests on SQLite"
env -u DATABASE_URL pytest -q "$@"

PG_URL="${DATABASE_URL_TEST_PG:-postgres://postgres@127.0.0.1:5432/renfang}"
if python - "$PG_URL" <<'PY'
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {url}: {exc}")
    sys.exit(1)
PY
then
  log "tests on PostgreSQL"
  # the Schemathesis run adds its boundary-value phase here: PostgreSQL is the stricter database
  # (integers out of range, NUL characters), so that is where bad input most often becomes a 500
  # left out here, as they ran above and do not depend on the database: the engine's tests (renfang/engine
  # imports no Django) and the XSS crawl (the same templates escape the same payloads whatever stores them)
  RENFANG_SCHEMATHESIS_COVERAGE=1 DATABASE_URL="$PG_URL" pytest -q -p no:cacheprovider --ignore=renfang/engine \
    --ignore=tests/browser/test_xss.py "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL" >&2
  exit 1
else
  echo "skipping the PostgreSQL run (no server); CI runs it"
fi
