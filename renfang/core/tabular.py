"""Reading and writing spreadsheets (CSV in UTF-8 or GBK, Excel .xlsx) and converting cell values.

Staff live in Excel (docs/product.md): imports must accept what Excel and WPS save, in either
encoding, and exports must open in Excel without garbled Chinese (hence the UTF-8 byte-order mark).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


class TableReadError(ValueError):
    """The file as a whole cannot be read (wrong format, wrong encoding, no header)."""


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 is a superset of GBK and GB2312
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError(_("The file is neither UTF-8 nor GBK text. Save it as CSV (UTF-8) or as .xlsx."))


def read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    text = _decode(path.read_bytes())
    if not text.strip():
        raise TableReadError(_("The file is empty."))
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: list[str] | None = None
    number = 0
    for row in reader:
        number += 1
        if any(cell.strip() for cell in row):
            header = [cell.strip() for cell in row]
            break
    if header is None:
        raise TableReadError(_("The file has no header row."))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for line, row in enumerate(reader, start=number + 1):
            if any(cell.strip() for cell in row):
                yield line, row

    return header, rows()


def read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableReadError(_("The file is not a valid Excel .xlsx workbook (%(error)s).") % {"error": exc}) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    number = 0
    for number, row in enumerate(iterator, start=1):  # noqa: B007
        if any(cell not in (None, "") for cell in row):
            header = ["" if cell is None else str(cell).strip() for cell in row]
            break
    if header is None:
        raise TableReadError(_("The file is empty."))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for line, row in enumerate(iterator, start=number + 1):
            if any(cell not in (None, "") for cell in row):
                yield line, list(row)
        workbook.close()

    return header, rows()


def read_table(path: Path, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header and (row number as Excel shows it, cells) for each non-empty row."""
    if path.stat().st_size == 0:
        raise TableReadError(_("The file is empty."))
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(path)
    return read_csv(path)


def more_rows_than(path: Path, filename: str, limit: int) -> bool:
    """Whether the file has more than ``limit`` data rows, found before anything is checked or written.

    An .xlsx says its size in its dimension record, which is read first (a 1,000,000-row sheet is refused at
    once); otherwise the rows are counted, stopping at the first one over the limit."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
            declared = workbook.worksheets[0].max_row
            workbook.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False  # read_table reports the damaged file
        if declared is not None and declared <= limit + 1:
            return False  # the header and at most ``limit`` rows
        if declared is not None and declared > limit + 1000:
            return True  # far over: no need to count (a few empty rows at the end are forgiven)
    _header, rows = read_table(path, filename)
    return any(count > limit for count, _row in enumerate(rows, start=1))


def cell_text(value: Any) -> str:
    """A cell as the text a form field expects (Excel gives floats for integers and datetimes for dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    # the apostrophe an export put before formula-looking text (csv_safe) is not part of the value
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


# A cell that starts like a formula runs as one when a spreadsheet opens the file (OWASP "CSV injection"):
# in CSV such text is written after an apostrophe, which spreadsheets show as text and imports strip
# again; in XLSX it is stored as a text cell, never as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_safe(sheet: Any, row: list[Any]) -> list[Any]:
    """The row for ``sheet.append``: text that looks like a formula as a text cell (any workbook mode)."""
    from django.utils import timezone
    from openpyxl.cell.cell import Cell

    out: list[Any] = []
    for value in row:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            # Excel has no time zones: the local time, as the pages show it
            out.append(timezone.make_naive(value))
        elif isinstance(value, str) and value.startswith("="):
            cell = Cell(sheet, row=1, column=1, value=value)  # append() gives it its real place
            cell.data_type = "s"  # openpyxl made it a formula from the leading "="
            cell.number_format = "@"  # and Excel keeps it text when someone edits the cell
            out.append(cell)
        else:
            out.append(value)
    return out


def append_row(sheet: Any, row: list[Any]) -> None:
    """Append to an openpyxl sheet with formula-looking text kept as text (every XLSX Renfang writes)."""
    sheet.append(xlsx_safe(sheet, row))


def write_csv(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    """Stream CSV with a UTF-8 byte-order mark so Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([csv_safe(v) for v in header])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def prepare_sheet(sheet: Any, header: list[str]) -> None:
    """Header row frozen and filterable, each column as wide as its header (at least 10, at most 40)."""
    from openpyxl.utils import get_column_letter

    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(40, max(10, text_width(str(title)) + 2))
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"


def write_xlsx(header: list[str], rows: Iterator[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "data")
    prepare_sheet(sheet, header)
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
