"""Rows of an example project shipped in the ``aequilibrae`` package, read without SpatiaLite.

The package's ``reference_files/<name>.zip`` holds a SpatiaLite database; its tables are read with plain
sqlite3 and its point geometries decoded here. Test and benchmark data only: nothing is copied into the repo.
"""

from __future__ import annotations

import sqlite3
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any


def point(blob: bytes) -> tuple[float, float]:
    """A SpatiaLite point blob: header (39 bytes incl. MBR), class marker, then x, y as little-endian doubles."""
    return struct.unpack("<dd", blob[43:59])


def project_rows(archive: str, queries: dict[str, str]) -> dict[str, list[Any]]:
    """The rows of each SQL query (by name) over the project database of ``reference_files/<archive>.zip``."""
    import aequilibrae

    path = Path(aequilibrae.__file__).parent / "reference_files" / f"{archive}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(path) as z:
            z.extract("project_database.sqlite", tmp)
        con = sqlite3.connect(Path(tmp) / "project_database.sqlite")
        try:
            return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
        finally:
            con.close()
