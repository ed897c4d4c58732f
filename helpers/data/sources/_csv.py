"""Shared CSV plumbing for every reader: robust text-table reading and the layout record.

Every reader in :mod:`helpers.data.sources` starts from :func:`read_table`, so the awkward parts
of real-world exports are handled once: byte-order marks, semicolon or tab delimiters
(European Excel), HXL hashtag rows (HDX), ragged rows, non-UTF-8 bytes and very large free
text cells. Values stay text; each reader converts the columns it knows.

Encoding policy: files must be UTF-8 (with or without BOM). Bytes that are not UTF-8 raise a
:class:`~helpers.errors.DataError` naming the line and the byte, and asking the analyst to
re-export as UTF-8, instead of guessing a legacy code page (a wrong guess silently corrupts
Dari and Pashto place and actor names).

Row numbers: the returned frame's index, named ``row``, is the 1-based data row number —
the header (and an HXL hashtag row, when present) are not counted.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from helpers.errors import DataError, Problem, SchemaError

log = logging.getLogger(__name__)

#: Delimiters :func:`read_table` recognises, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")

_BOM = b"\xef\xbb\xbf"
_MIN_BLOCK = 1 << 20  # pyarrow block size floor (1 MiB)
_MAX_BLOCK = 1 << 22  # 4 MiB blocks parse in parallel best (cache-sized); a larger row retries
_MAX_LEADING = 20  # blank lines tolerated above a header
_STREAM_BLOCK = 1 << 22  # filtered reads: 4 MiB batches (8 MiB: 30 % slower, 1.5x memory)
_PROBE_BLOCK = 1 << 20  # the first MiB tells a one-country export from a global one


@dataclass(frozen=True)
class RowFilter:
    """Keep only rows whose ``column`` equals ``value`` (trimmed, compared lower-cased).

    Given to :func:`read_table`, it is applied to each batch of the file as it is parsed,
    so a multi-country export never holds more than a batch of other countries' rows in
    memory and no per-row work is spent on them. Rows left out are counted in the frame's
    ``attrs["rows_left_out"]`` (never dropped without a count).
    """

    column: str
    value: str

    def mask(self, values: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Boolean NumPy mask of the rows to keep (decided once per distinct value)."""
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks() if values.num_chunks else pa.array(
                [], values.type)
        encoded = pc.dictionary_encode(values)
        text = pc.utf8_lower(pc.utf8_trim_whitespace(encoded.dictionary))
        wanted = pc.fill_null(pc.equal(text, self.value.strip().lower()), False)
        hit = pc.fill_null(pc.take(wanted, encoded.indices), False)
        return hit.to_numpy(zero_copy_only=False).astype(bool, copy=False)


@dataclass(frozen=True)
class Layout:
    """One input format the workbook recognises from its header row.

    ``signature`` holds lower-cased column names (or HXL hashtags) that must all be present;
    when several layouts match a file, the one with the largest signature wins.
    ``kind`` says which loader accepts it: ``events``, ``indicators`` or ``aggregates``.
    """

    name: str
    kind: str
    signature: frozenset[str]
    read: Callable[[Path], pd.DataFrame] = field(compare=False, repr=False)
    description: str = ""

    def matches(self, names: Iterable[str]) -> bool:
        """True when every signature column is among ``names`` (compared lower-cased)."""
        return self.signature <= {str(n).strip().lower() for n in names}


@dataclass(frozen=True)
class Header:
    """What the first lines of a CSV say: column names, delimiter and optional HXL tags."""

    columns: list[str]
    delimiter: str
    hxl: dict[str, str]
    bom: bool
    #: Blank lines (or lines of bare delimiters) above the header, skipped.
    leading: int = 0


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _bad_utf8(path: Path, data: bytes, err: UnicodeDecodeError, *, data_start_line: int,
              header: Header | None = None) -> DataError:
    """One error listing EVERY line with bytes that are not UTF-8 (not only the first),
    each with its row, column and the text as written (bad bytes shown as \\xNN)."""
    problems = []
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        start = offset
        offset += len(raw)
        try:
            raw.decode("utf-8")
            continue
        except UnicodeDecodeError as bad:
            position = start + bad.start
        byte = data[position:position + 1].hex()
        row = number - data_start_line + 1 if number >= data_start_line else None
        column = None
        if row is not None and header is not None:
            cells = data[start:position].count(header.delimiter.encode())
            if cells < len(header.columns):
                column = header.columns[cells]
        # the cell as written (bad bytes as \xNN), or the line when there is no header
        cell_start, cell_end = start, start + len(raw.rstrip(b"\r\n"))
        if header is not None:
            sep = header.delimiter.encode()
            cell_start = max(data.rfind(sep, start, position) + 1, start)
            found = data.find(sep, position, cell_end)
            cell_end = found if found != -1 else cell_end
        shown = data[cell_start:cell_end].decode("utf-8", errors="backslashreplace")[:80]
        problems.append(Problem(str(path), row, column, shown,
                                f"line {number} has a byte that is not UTF-8 (0x{byte})"))
    if not problems:  # the decoder's position, should the line split disagree
        line = _line_of(data, err.start)
        problems.append(Problem(str(path), None, None, None,
                                f"line {line} has a byte that is not UTF-8"))
    return DataError(f"{path.name} is not valid UTF-8 ({len(problems)} line(s)); re-export "
                     "it as UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: character set UTF-8)",
                     problems)


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])


def sniff_delimiter(header_line: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits ``header_line`` into most cells."""
    counts = {d: len(_split(header_line, d)) for d in DELIMITERS}
    best = max(counts.values())
    return next(d for d in DELIMITERS if counts[d] == best)


def _is_hxl(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def read_header(path: str | Path) -> Header:
    """Read only the header line (and an HXL hashtag line after it) of ``path``.

    Raises :class:`DataError` for an empty file or a header that is not UTF-8.
    """
    path = Path(path)
    leading = 0
    try:
        with path.open("rb") as fh:
            first = fh.readline()
            bom = first.startswith(_BOM)
            if bom:
                first = first[len(_BOM):]
            # exports with a title block leave blank (or all-delimiter) lines above the
            # header: skip up to _MAX_LEADING of them
            while first and not first.strip(b" \t\r\n,;") and leading < _MAX_LEADING:
                leading += 1
                first = fh.readline()
            second = fh.readline()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}",
                        [Problem(str(path), None, None, None, "file cannot be opened")]) from exc
    if not first.strip():
        raise DataError(f"{path.name} is empty",
                        [Problem(str(path), None, None, None, "the file has no header row")])
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad_utf8(path, first, exc, data_start_line=2) from None
    text = text.rstrip("\r\n")
    delimiter = sniff_delimiter(text)
    columns = [c.strip() for c in _split(text, delimiter)]
    hxl: dict[str, str] = {}
    if second.strip():
        cells = _split(second.decode("utf-8", errors="replace").rstrip("\r\n"), delimiter)
        if _is_hxl(cells):
            hxl = {col: tag.strip() for col, tag in zip(columns, cells, strict=False)
                   if tag.strip()}
    return Header(columns, delimiter, hxl, bom, leading)


def _check_columns(path: Path, columns: list[str]) -> list[str]:
    problems = []
    seen: dict[str, int] = {}
    out = []
    for i, col in enumerate(columns, start=1):
        name = col or f"unnamed_{i}"
        if name in seen:
            problems.append(Problem(str(path), None, name, None,
                                    f"column name appears twice (positions {seen[name]} and {i})"))
        seen[name] = i
        out.append(name)
    if problems:
        raise DataError(f"{path.name} has duplicate column names", problems)
    return out


def read_table(path: str | Path, *, expected: Iterable[str] | None = None,
               columns: Iterable[str] | None = None,
               where: RowFilter | None = None) -> pd.DataFrame:
    """Read a delimited text file into a frame of strings, one column per header cell.

    Every value is text (``str`` dtype); empty cells are NA. The index is the 1-based data
    row number, named ``row``. An HXL hashtag row is dropped and kept in
    ``attrs["hxl"]`` (``{column: tag}``); ``attrs["delimiter"]`` records the delimiter.
    ``expected``: column names that must be present (compared case-insensitively).
    ``columns``: when given, only these columns (case-insensitive; absent ones ignored) are
    converted and returned — a speed-up for wide exports; every row is still checked.
    ``where``: keep only the rows it selects, filtered batch by batch while the file is
    parsed (a multi-country export is never held whole); the index keeps each kept row's
    number in the file, ``attrs["rows_left_out"]`` counts the others and
    ``attrs["rows_kept_by"]`` holds ``where``. Ignored when the file has no such column
    (the caller's column check then names it).

    Raises :class:`DataError` (never a pandas/pyarrow error) for an empty or header-only
    file, bytes that are not UTF-8, ragged rows (each named), duplicate column names, and
    :class:`SchemaError` for missing expected columns.
    """
    path = Path(path)
    head = read_header(path)
    names = _check_columns(path, head.columns)
    if expected is not None:
        present = {c.lower() for c in names}
        missing = [c for c in expected if c.lower() not in present]
        if missing:
            raise SchemaError(
                f"{path.name} lacks required column(s): {', '.join(missing)}",
                [Problem(str(path), None, c, None, "required column is missing")
                 for c in missing])
    skip = head.leading + (2 if head.hxl else 1)
    keep = None
    if columns is not None:
        wanted = {c.lower() for c in columns}
        keep = [c for c in names if c.lower() in wanted]
    by = None
    if where is not None:
        by = next((c for c in names if c.lower() == where.column.lower()), None)
    if by is None:
        table = _parse(path, names, head, skip, keep=keep)
        total, rows = table.num_rows, None
    else:
        if keep is not None and by not in keep:
            keep = [*keep, by]
        table, rows, total = _filtered(path, names, head, skip, keep, by, where)
    if total == 0:
        raise DataError(f"{path.name} has a header but no data rows",
                        [Problem(str(path), None, None, None, "no data rows below the header")])
    frame = table.to_pandas()
    if rows is None:
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    else:
        frame.index = pd.Index(rows, name="row")
        frame.attrs["rows_left_out"] = total - len(frame)
        frame.attrs["rows_kept_by"] = where
    frame.attrs["hxl"] = dict(head.hxl)
    frame.attrs["delimiter"] = head.delimiter
    return frame


def _filtered(path: Path, columns: list[str], head: Header, skip: int,
              keep: list[str] | None, by: str, where: RowFilter
              ) -> tuple[pa.Table, np.ndarray, int]:
    """Parse batch by batch, keeping the rows ``where`` selects: (table, their 1-based row
    numbers, rows in the file). When the file's first MiB is mostly wanted rows (an
    Afghanistan-only export), the whole file is read at once instead (in parallel, the
    faster way when little is left out). Any doubt about the fast parse (a ragged row, a
    value spanning lines, bad bytes) hands over to :func:`_parse`, whose careful modes
    report problems with line numbers; its table is then filtered the same way.
    """
    ragged: list[int] = []

    def on_bad_row(row: pacsv.InvalidRow) -> str:
        ragged.append(1)
        return "skip"

    if _mostly_wanted(path, columns, head, skip, by, where):
        return _whole(path, columns, head, skip, keep, by, where)
    read_opts = pacsv.ReadOptions(column_names=columns, skip_rows=skip,
                                  block_size=_STREAM_BLOCK, use_threads=True, encoding="utf8")
    parse_opts = pacsv.ParseOptions(delimiter=head.delimiter, invalid_row_handler=on_bad_row)
    convert_opts = _as_text(columns, keep)
    batches: list[pa.RecordBatch] = []
    rows: list[np.ndarray] = []
    total = 0
    try:
        # The path, not a memory map: mapped pages of a multi-gigabyte export would count
        # in the process's memory (RSS) until the read ends; read buffers are let go.
        with pacsv.open_csv(path, read_options=read_opts, parse_options=parse_opts,
                            convert_options=convert_opts) as reader:
            schema = reader.schema
            for batch in reader:
                if ragged or not _valid_utf8(batch):  # every row, kept or not, is checked
                    ragged.append(1)
                    break
                picked = np.flatnonzero(where.mask(batch.column(by)))
                if len(picked) == batch.num_rows:
                    batches.append(batch)
                elif len(picked):
                    batches.append(batch.take(pa.array(picked)))
                rows.append(picked + (total + 1))
                total += batch.num_rows
    except pa.ArrowInvalid:
        ragged.append(1)
    if ragged:
        batches, rows = [], []  # let go of what the streaming read kept before reading again
        return _whole(path, columns, head, skip, keep, by, where)
    table = pa.Table.from_batches(batches, schema=schema)
    numbers = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    return table, numbers, total


def _mostly_wanted(path: Path, columns: list[str], head: Header, skip: int, by: str,
                   where: RowFilter) -> bool:
    """Whether at least half the rows of the file's first MiB are rows ``where`` keeps
    (an Afghanistan-only export): then one parallel read of the whole file is faster than
    filtering batch by batch. Any trouble parsing that MiB says no (the streaming read
    then meets it and hands over to the careful parse)."""
    read_opts = pacsv.ReadOptions(column_names=columns, skip_rows=skip, block_size=_PROBE_BLOCK,
                                  use_threads=False, encoding="utf8")
    parse_opts = pacsv.ParseOptions(delimiter=head.delimiter)
    convert_opts = _as_text(columns, [by])
    try:
        with pacsv.open_csv(path, read_options=read_opts, parse_options=parse_opts,
                            convert_options=convert_opts) as reader:
            batch = reader.read_next_batch()
        if batch.num_rows == 0 or not _valid_utf8(batch):  # the read reports bad bytes
            return False
        return 2 * int(where.mask(batch.column(0)).sum()) >= batch.num_rows
    except (pa.ArrowInvalid, StopIteration):
        return False


def _whole(path: Path, columns: list[str], head: Header, skip: int, keep: list[str] | None,
           by: str, where: RowFilter) -> tuple[pa.Table, np.ndarray, int]:
    """:func:`_parse` the whole file, then keep the rows ``where`` selects."""
    table = _parse(path, columns, head, skip, keep=keep)
    total = table.num_rows
    picked = np.flatnonzero(where.mask(table.column(by)))
    if len(picked) < total:  # else nothing to leave out, and nothing to copy
        table = table.take(pa.array(picked))
    return table, picked + 1, total


def _as_text(columns: list[str], keep: list[str] | None) -> pacsv.ConvertOptions:
    """How every read converts cells: the ``keep`` columns (all when None) as text, empty
    cells NA; UTF-8 is checked after the parse (:func:`_valid_utf8`): Arrow's per-value
    check cost a quarter of the parse on a 1M-row export, and the bytes are nearly all
    ASCII."""
    return pacsv.ConvertOptions(column_types={c: pa.large_string() for c in columns},
                                include_columns=keep, strings_can_be_null=True,
                                quoted_strings_can_be_null=True, null_values=[""],
                                check_utf8=False)


def _valid_utf8(table: pa.Table | pa.RecordBatch) -> bool:
    """True when every text value of ``table`` is valid UTF-8.

    A chunk whose bytes are all below 0x80 is ASCII, hence valid (one vectorised pass over
    its data buffer); only a chunk holding other bytes gets Arrow's full UTF-8 validation.
    """
    for column in table.columns:
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        for chunk in chunks:
            buffers = chunk.buffers()
            data = buffers[2] if len(buffers) > 2 else None
            if data is None or int(np.frombuffer(data, dtype=np.uint8).max(initial=0)) < 0x80:
                continue
            try:
                chunk.validate(full=True)
            except pa.ArrowInvalid:
                return False
    return True


def _parse(path: Path, columns: list[str], head: Header, skip: int,
           *, threads: bool = True, block: int | None = None,
           newlines: bool = False, keep: list[str] | None = None) -> pa.Table:
    """Parse with pyarrow; retry in safer modes when the fast one cannot be trusted.

    The fast mode splits the file into blocks at line ends (``newlines_in_values=False``),
    about twice as fast. A quoted value spanning lines is then either read correctly or
    makes Arrow report the blocks out of sync / a row with the wrong field count; both
    trigger a re-parse with ``newlines_in_values=True`` before anything is reported.
    """
    size = path.stat().st_size
    if block is None:
        block = max(_MIN_BLOCK, min(size + 1, _MAX_BLOCK))
    ragged: list[tuple[int | None, int, int, str]] = []

    def on_bad_row(row: pacsv.InvalidRow) -> str:
        ragged.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    read_opts = pacsv.ReadOptions(column_names=columns, skip_rows=skip, block_size=block,
                                  use_threads=threads, encoding="utf8")
    parse_opts = pacsv.ParseOptions(delimiter=head.delimiter, newlines_in_values=newlines,
                                    invalid_row_handler=on_bad_row)
    convert_opts = _as_text(columns, keep)
    try:
        # A memory-mapped input spares copying the file into read buffers (the parse
        # copies every value it keeps); the map lives as long as a buffer refers to it.
        # Its pages count in the process's memory (RSS) while mapped: this whole-file read
        # serves files that are mostly kept rows, a filtered read streams from the path.
        with pa.memory_map(str(path)) as source:
            table = pacsv.read_csv(source, read_options=read_opts, parse_options=parse_opts,
                                   convert_options=convert_opts)
        if not _valid_utf8(table):
            raise pa.ArrowInvalid("CSV conversion error: invalid UTF8 data")
    except pa.ArrowInvalid as exc:
        msg = str(exc)
        if not newlines and ("out of sync" in msg or "newlines_in_values" in msg
                             or "Expected" in msg):
            return _parse(path, columns, head, skip, threads=threads, block=block,
                          newlines=True, keep=keep)
        if ("straddling" in msg or "block" in msg) and block < size + 1:
            return _parse(path, columns, head, skip, threads=threads, block=size + 1,
                          newlines=newlines, keep=keep)
        # Bad bytes are the most common cause of a failed parse: name them first.
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as uerr:
            raise _bad_utf8(path, data, uerr, data_start_line=skip + 1, header=head) from None
        del data
        raise DataError(f"{path.name} could not be parsed as a delimited text file",
                        [Problem(str(path), None, None, None, msg)]) from None
    if ragged:
        if not newlines or (threads and any(number is None for number, *_ in ragged)):
            # Rule out a line-split artefact, and get line numbers (known only to a
            # single-threaded parse): redo it carefully (error path only).
            return _parse(path, columns, head, skip, threads=False, block=block,
                          newlines=True, keep=keep)
        problems = []
        for number, want, got, text in ragged:
            row = number - skip if number is not None else None
            problems.append(Problem(
                str(path), row, None, text[:60],
                f"line {number} has {got} field(s) but the header has {want}"
                if number is not None else f"row has {got} field(s) but the header has {want}"))
        raise DataError(f"{path.name} has rows with the wrong number of fields", problems)
    return table
