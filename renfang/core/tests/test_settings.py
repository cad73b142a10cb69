"""Settings come from the environment only; a bad value stops start-up with a message naming it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RENFANG_", "DATABASE_URL", "DJANGO_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='renfang.settings'; django.setup()",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RENFANG_DEBUG": "ture"}, "RENFANG_DEBUG='ture' is not a boolean"),
        ({"RENFANG_DEBUG": "false"}, "RENFANG_SECRET_KEY"),
        (
            {"RENFANG_DEBUG": "true", "RENFANG_IMPORT_MAX_MB": "lots"},
            "RENFANG_IMPORT_MAX_MB='lots' is not a whole number",
        ),
        ({"RENFANG_DEBUG": "true", "RENFANG_TILE_PROVIDER": "google"}, "RENFANG_TILE_PROVIDER='google' is not one of"),
        ({"RENFANG_DEBUG": "true", "RENFANG_TILE_PROVIDER": "tianditu"}, "TIANDITU_KEY"),
        ({"RENFANG_DEBUG": "true", "DATABASE_URL": "mysql2://x"}, "DATABASE_URL"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env: dict[str, str], message: str, tmp_path: object) -> None:
    result = _start(RENFANG_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path: object) -> None:
    from pathlib import Path

    secret = Path(str(tmp_path)) / "key"
    secret.write_text("x" * 40 + "\n")
    result = _start(RENFANG_DATA_DIR=str(tmp_path), RENFANG_SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr


def test_every_variable_read_by_the_settings_is_in_env_example() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    names = set()
    for path in (root / "renfang" / "settings.py",):
        names |= set(re.findall(r'env_\w+\("([A-Z_]+)"', path.read_text()))
    names.add("DATABASE_URL")
    example = (root / ".env.example").read_text()
    missing = [n for n in sorted(names) if f"\n{n}=" not in example and not example.startswith(f"{n}=")]
    assert not missing


def test_production_static_files_collect_with_their_manifest(tmp_path: object) -> None:
    """collectstatic with the production (manifest) storage: a dangling reference in a file fails here."""
    from pathlib import Path

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RENFANG_", "DATABASE_URL", "DJANGO_"))}
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=root,
        env={
            **clean,
            "RENFANG_DATA_DIR": str(tmp_path),
            "RENFANG_STATIC_ROOT": str(Path(str(tmp_path)) / "static"),
            "RENFANG_SECRET_KEY": "x" * 40,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (Path(str(tmp_path)) / "static" / "staticfiles.json").exists()
