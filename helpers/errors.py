"""Project exception types.

Bad input must produce an error that names the file, row and column in plain words,
never a traceback from deep inside pandas. Every reader and validator raises one of
these; each carries a machine-readable list of :class:`Problem` records as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: How many problems an error message lists before summarising the rest.
MAX_LISTED = 25

#: The rule every reader and schema gives for an empty cell in a required column.
REQUIRED_EMPTY = "is required but empty"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and which rule it breaks.

    ``row`` is the 1-based data row number in the file (the header is not counted),
    or ``None`` when the problem concerns the whole file or a whole column.
    """

    file: str | None
    row: int | None
    column: str | None
    value: object
    rule: str

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(Path(self.file).name)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        loc = ", ".join(where) or "input"
        value = _short(self.value)
        return f"{loc}: {value} — {self.rule}" if value else f"{loc}: {self.rule}"


def _short(value: object, limit: int = 60) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):  # type: ignore[arg-type]
            return "(missing)"
    except (TypeError, ValueError):
        pass
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorkbookError(Exception):
    """Base class for every error the workbook raises on purpose."""


class DataError(WorkbookError, ValueError):
    """Input data broke one or more rules. ``problems`` lists every one found."""

    def __init__(self, summary: str, problems: Sequence[Problem] = ()):  # noqa: D107
        self.summary = summary
        self.problems: list[Problem] = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if not self.problems:
            return self.summary
        lines = [f"{self.summary} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p.describe()}" for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  … and {len(self.problems) - MAX_LISTED} more")
        return "\n".join(lines)


class SchemaError(DataError):
    """A table does not satisfy its schema (columns, types, ranges, allowed values)."""


class UnknownLayoutError(DataError):
    """A file's header matches none of the layouts the workbook can read."""


class UnknownProvinceError(DataError):
    """One or more province names could not be resolved by the gazetteer."""

    def __init__(self, summary: str, problems: Sequence[Problem] = (),
                 suggestions: dict[str, list[str]] | None = None):  # noqa: D107
        self.suggestions = suggestions or {}
        super().__init__(summary, problems)
