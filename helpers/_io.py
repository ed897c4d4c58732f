"""File plumbing every layer shares: one content hash and one atomic writer.

``sha256_file`` is what provenance records, cache keys and report inputs all call, so a
file has one checksum everywhere. ``atomic_write`` writes through a uniquely named
temporary file in the target folder and renames it into place, so a reader (or a
concurrent run) never sees half a file and two writers never collide on a fixed ``.tmp``
name. The temporary name carries the writer's pid, so a later run can tell a killed
writer's leftovers from a live one's (``helpers.reports.workdir.clean_partials``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


#: Permissions of written files: what ``open()`` would give under the current umask.
FILE_MODE = _file_mode()


def atomic_write(target: str | os.PathLike[str],
                 data: bytes | str | Callable[[Path], None]) -> Path:
    """Write ``data`` to ``target`` atomically and return the target path.

    ``data`` is bytes, text (written as UTF-8) or a function that writes the temporary
    path it is given (e.g. ``lambda tmp: frame.to_parquet(tmp)``). Parent folders are
    created. On any error the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; our outputs are ordinary files
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_json(target: str | os.PathLike[str], payload: Any) -> Path:
    """Write ``payload`` as indented JSON (keys sorted, UTF-8) atomically."""
    text = json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False, default=str)
    return atomic_write(target, text + "\n")
