"""Copy the front-end libraries installed by ``npm ci`` into renfang/static/vendor/ (git-ignored).

Nothing third-party is committed and nothing loads from a CDN at run time (docs/architecture.md):
package-lock.json pins the versions, this script picks the files the pages use.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules"
TARGET = ROOT / "renfang" / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    # the source maps the files above name: collectstatic's manifest refuses a dangling reference
    "leaflet/dist/leaflet.js.map": "leaflet/leaflet.js.map",
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
}


def main() -> int:
    missing = [src for src in FILES if not (SOURCE / src).exists()]
    if missing:
        print(f"missing in node_modules (run `npm ci` first): {', '.join(missing)}", file=sys.stderr)
        return 1
    for src, dst in FILES.items():
        target = TARGET / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if (SOURCE / src).is_dir():
            shutil.copytree(SOURCE / src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(SOURCE / src, target)
    print(f"front-end libraries copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
