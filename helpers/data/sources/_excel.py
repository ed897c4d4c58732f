"""Excel plumbing for the readers: sheet names for layout detection, cell values by row.

Workbooks are recognised by their sheet names: :func:`header_names` gives ``sheet:<name>``
for every sheet (lower-cased), plus the name with a trailing year generalised
(``sheet:summary_2024`` also gives ``sheet:summary_<year>``), so a layout signature can
match every year's edition. Values are the ones Excel cached for formulas (the readers
never evaluate formulas). Every failure is a :class:`~helpers.errors.DataError` naming
the file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from helpers.errors import DataError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _open(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(f"{path.name} cannot be opened as an Excel workbook",
                        [Problem(str(path), None, None, None,
                                 f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})")]
                        ) from None


def sheet_names(path: str | Path) -> list[str]:
    """The workbook's sheet names, in order."""
    book = _open(Path(path))
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def header_names(path: str | Path) -> set[str]:
    """Names a layout signature can match: ``sheet:<name>`` and ``sheet:<name with <year>>``."""
    names = set()
    for sheet in sheet_names(path):
        key = sheet.strip().lower()
        names.add(f"sheet:{key}")
        names.add(f"sheet:{_YEAR.sub('<year>', key)}")
    return names


def sheet_rows(path: str | Path, sheet: str) -> list[tuple]:
    """Every row of ``sheet`` as a tuple of cell values (cached formula results)."""
    path = Path(path)
    book = _open(path)
    try:
        if sheet not in book.sheetnames:
            raise DataError(f"{path.name} has no sheet {sheet!r}",
                            [Problem(str(path), None, None, ", ".join(book.sheetnames),
                                     f"sheet {sheet!r} is missing")])
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
