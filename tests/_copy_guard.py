"""Proof that curated text paraphrases the analysis brief instead of copying it."""

from __future__ import annotations

import re
from collections.abc import Iterable


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
