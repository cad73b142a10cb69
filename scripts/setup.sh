#!/usr/bin/env bash
# Set up everything Renfang needs on a fresh Debian/Ubuntu machine, idempotently:
#   scripts/setup.sh          Python packages, front-end libraries, translations, database
#   scripts/setup.sh --test   the same plus what the tests need (Chromium, CJK fonts)
#   scripts/setup.sh --bench  the same plus what the benchmarks need (wrk, the HTTP load generator)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_bench=0
[ "${1:-}" = "--test" ] && want_test=1
[ "${1:-}" = "--bench" ] && want_bench=1

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------------------
# the CJK font is needed at run time too: community notices are PDFs in Chinese (RENFANG_PDF_FONT)
debs=(gettext fonts-noto-cjk)
[ "$want_test" = 1 ] && debs+=(chromium poppler-utils mosquitto)
[ "$want_bench" = 1 ] && debs+=(wrk)
missing=()
for pkg in "${debs[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python ----------------------------------------------------------------------------------------------
if ! command -v uv >/dev/null 2>&1; then
  log "installing uv"
  python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
log "installing Python packages (uv.lock)"
uv sync --frozen --quiet

# --- front-end libraries (package-lock.json; copied, never committed) --------------------------------------
log "installing front-end libraries (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
.venv/bin/python scripts/vendor_assets.py

# --- translations ----------------------------------------------------------------------------------------
log "compiling translations"
RENFANG_DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
