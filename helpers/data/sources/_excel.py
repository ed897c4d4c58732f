"""Excel plumbing for the readers: sheet names for layout detection, cell values by row.

Workbooks are recognised by their sheet names: :func:`header_names` gives ``sheet:<name>``
for every sheet (lower-cased), plus the name with a trailing year generalised
(``sheet:summary_2024`` also gives ``sheet:summary_<year>``), so a layout signature can
match every year's edition. Values are the ones Excel cached for formulas (the readers
never evaluate formulas). Every failure is a :class:`~helpers.errors.DataError` naming
the file.

Legacy ``.xls`` workbooks (the FTS website's exports) are read with xlrd, with its
``ignore_workbook_corruption`` switch on: those exports carry a harmless structural quirk
that makes stricter readers call them corrupt. Empty cells come back as ``None`` from
both formats.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from helpers.errors import DataError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _unreadable(path: Path, exc: Exception, kind: str) -> DataError:
    return DataError(f"{path.name} cannot be opened as an Excel workbook",
                     [Problem(str(path), None, None, None,
                              f"not a readable {kind} workbook ({type(exc).__name__}: {exc})")])


def _open(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _unreadable(path, exc, ".xlsx") from None


def _open_xls(path: Path):
    import xlrd

    try:
        return xlrd.open_workbook(str(path), on_demand=True, ignore_workbook_corruption=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError) as exc:
        raise _unreadable(path, exc, ".xls") from None


def _legacy(path: Path) -> bool:
    return path.suffix.lower() == ".xls"


def sheet_names(path: str | Path) -> list[str]:
    """The workbook's sheet names, in order."""
    path = Path(path)
    if _legacy(path):
        book = _open_xls(path)
        try:
            return list(book.sheet_names())
        finally:
            book.release_resources()
    names = _xlsx_sheet_names(path)
    if names is not None:
        return names
    book = _open(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_sheet_names(path: Path) -> list[str] | None:
    """Sheet names straight from the package's ``xl/workbook.xml`` (milliseconds, where
    openpyxl spends half a second loading styles and shared strings just to list them);
    ``None`` for anything unusual, which then goes through openpyxl and its errors."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as package:
            root = ElementTree.fromstring(package.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return None
    sheets = root.find(f"{_MAIN_NS}sheets")
    if sheets is None:
        return None
    names = [sheet.get("name") for sheet in sheets.findall(f"{_MAIN_NS}sheet")]
    return names if names and all(names) else None


def header_names(path: str | Path) -> set[str]:
    """Names a layout signature can match: ``sheet:<name>`` and ``sheet:<name with <year>>``."""
    names = set()
    for sheet in sheet_names(path):
        key = sheet.strip().lower()
        names.add(f"sheet:{key}")
        names.add(f"sheet:{_YEAR.sub('<year>', key)}")
    return names


def _missing_sheet(path: Path, sheet: str, names: list[str]) -> DataError:
    return DataError(f"{path.name} has no sheet {sheet!r}",
                     [Problem(str(path), None, None, ", ".join(names),
                              f"sheet {sheet!r} is missing")])


def sheet_rows(path: str | Path, sheet: str) -> list[tuple]:
    """Every row of ``sheet`` as a tuple of cell values (cached formula results; empty
    cells as None)."""
    path = Path(path)
    if _legacy(path):
        book = _open_xls(path)
        try:
            if sheet not in book.sheet_names():
                raise _missing_sheet(path, sheet, book.sheet_names())
            table = book.sheet_by_name(sheet)
            return [tuple(None if v == "" else v for v in table.row_values(i))
                    for i in range(table.nrows)]
        finally:
            book.release_resources()
    book = _open(path)
    try:
        if sheet not in book.sheetnames:
            raise _missing_sheet(path, sheet, book.sheetnames)
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
