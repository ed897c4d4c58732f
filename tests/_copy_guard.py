"""Proof that curated text paraphrases the analysis brief instead of copying it.

The brief itself never enters the project: ``fixtures/brief_shingles.txt`` holds only the
truncated sha256 of each run of eight consecutive words of it (``shingle_digests``), so the
test can find a copied run without the brief's text. ``python tests/_copy_guard.py BRIEF``
rewrites that file from a copy of the brief.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

SHINGLES = Path(__file__).parent / "fixtures" / "brief_shingles.txt"
WORDS = 8


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def copied_runs(texts: Iterable[str], reference: str, n: int = 8) -> list[str]:
    """Runs of ``n`` consecutive words that ``texts`` share with ``reference``.

    Used to prove that curated text paraphrases the analysis brief instead of copying it
    (case, punctuation and apostrophes are ignored).
    """
    ref_words = _words(reference)
    grams = {tuple(ref_words[i:i + n]) for i in range(len(ref_words) - n + 1)}
    found: list[str] = []
    for text in texts:
        if not isinstance(text, str):
            continue
        words = _words(text)
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if gram in grams:
                found.append(" ".join(gram))
    return found


def _digest(gram: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(gram).encode("utf-8")).hexdigest()[:16]


def shingle_digests(reference: str, n: int = WORDS) -> set[str]:
    """Truncated sha256 of every run of ``n`` consecutive words of ``reference``."""
    words = _words(reference)
    return {_digest(tuple(words[i:i + n])) for i in range(len(words) - n + 1)}


def copied_shingles(texts: Iterable[str], digests: set[str], n: int = WORDS) -> list[str]:
    """Runs of ``n`` words in ``texts`` whose digest is among ``digests``."""
    found = []
    for text in texts:
        if not isinstance(text, str):
            continue
        words = _words(text)
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if _digest(gram) in digests:
                found.append(" ".join(gram))
    return found


def load_digests() -> set[str]:
    """The shipped digests of the brief's eight-word runs."""
    return set(SHINGLES.read_text(encoding="ascii").split())


if __name__ == "__main__":
    digests = sorted(shingle_digests(Path(sys.argv[1]).read_text(encoding="utf-8")))
    SHINGLES.write_text("\n".join(digests) + "\n", encoding="ascii")
    print(f"wrote {len(digests)} digests to {SHINGLES}")
