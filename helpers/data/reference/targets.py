"""What an event targeted: official / military / infrastructure / civilian / unknown.

Why: the brief's question is whether the resistance hits Taliban *officials*, *military*
targets or *infrastructure* -- a distinction neither ACLED nor UCDP codes directly.
These documented keyword rules derive it from the canonical columns so every source
gets the same, testable answer. They are a first-pass classifier for aggregate trends,
not a reading of each report: check individual events in their notes.

Rules, first match wins (order matters):

1. **civilian** -- ``side2 == "civilians"``, or ACLED's ``civilian_targeting`` column
   (when present) is non-empty.
2. **official** -- ``side2 == "taliban"`` and the notes name an official role
   (:data:`OFFICIAL_TERMS`: governor, district chief, commander, minister, official,
   intelligence chief, police chief, mayor, ...).
3. **infrastructure** -- the notes or sub-event type name infrastructure
   (:data:`INFRASTRUCTURE_TERMS`: airport, bridge, power line / pylon, dam, pipeline,
   mining site, highway, telecom tower, office building, ...). A bare "road" is *not*
   a term: notes mostly use it for where a bomb was placed, not for what was hit.
4. **military** -- the second actor is an armed side (``taliban``, ``republic``,
   ``resistance``, ``islamic_state``, ``al_qaeda``), or the event is a battle / armed
   clash, or the notes name a military position (:data:`MILITARY_TERMS`: checkpoint,
   outpost, base, convoy, barracks, ...). Checkpoints count as military, not
   infrastructure: they are manned security posts.
5. **unknown** -- everything else (for instance protests with no second actor).

Matching is case-insensitive with word boundaries, so "officially" is not "official"
and "landmine" is not "mine". Each class is one regex run vectorised over the column
(Arrow's RE2), and only over rows an earlier rule has not already decided, so a million
rows take well under a second.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.data._codes import by_code
from helpers.data.reference.vocabulary import ARMED_SIDES, TARGETS
from helpers.errors import DataError, Problem

__all__ = ["ARMED_SIDES", "INFRASTRUCTURE_TERMS", "MILITARY_TERMS", "OFFICIAL_TERMS",
           "REQUIRED_COLUMNS", "TARGETS", "classify_targets", "term_mentions"]

#: Columns :func:`classify_targets` needs (``civilian_targeting`` is optional).
REQUIRED_COLUMNS = ("actor2", "side2", "event_type", "sub_event_type", "notes")

#: Roles that make a Taliban target an official (regex fragments, matched whole-word).
OFFICIAL_TERMS = (
    r"officials?", r"governors?", r"deputy governors?", r"district chiefs?",
    r"district governors?", r"commanders?", r"ministers?", r"deputy ministers?",
    r"intelligence (?:chief|head|director)s?", r"head of (?:the )?intelligence",
    r"police (?:chief|commander)s?", r"chief of police", r"security chiefs?",
    r"mayors?", r"spokes(?:man|men|person|persons)", r"judges?", r"prosecutors?",
    r"directors?", r"administrators?",
)

#: Infrastructure named in notes or sub-event type (regex fragments, matched whole-word).
INFRASTRUCTURE_TERMS = (
    r"airports?", r"airfields?", r"air ?strips?", r"bridges?", r"dams?",
    r"power (?:lines?|pylons?|stations?|plants?|grids?|substations?|towers?)",
    r"(?:electricity|transmission) (?:lines?|pylons?|towers?)", r"pylons?",
    r"substations?", r"pipelines?", r"mining (?:sites?|companies|company)", r"mining",
    r"(?:coal|copper|gold|lithium) mines?", r"highways?", r"tunnels?",
    r"(?:telecom|telecommunications?|mobile|communications?|radio) (?:towers?|masts?)",
    r"office buildings?", r"railways?", r"rail lines?", r"fuel (?:depots?|stations?)",
    r"oil (?:wells?|fields?|depots?)", r"gas (?:stations?|pipelines?)",
    r"water (?:supply|reservoirs?)",
    r"canals?",
)

#: Military positions named in notes (regex fragments, matched whole-word).
MILITARY_TERMS = (
    r"checkpoints?", r"check posts?", r"outposts?", r"(?:military |army |security )?bases?",
    r"convoys?", r"barracks", r"garrisons?", r"military vehicles?", r"patrols?",
    r"security posts?",
)

#: Event / sub-event types that are armed clashes by definition (ACLED naming).
_CLASH_EVENT_TYPES = ("battles",)
_CLASH_SUB_EVENT_TYPES = ("armed clash",)


def _pattern(terms: tuple[str, ...]) -> str:
    """One whole-word alternation over ``terms`` (used on lower-cased text)."""
    return r"\b(?:" + "|".join(terms) + r")\b"


_OFFICIAL_RE = _pattern(OFFICIAL_TERMS)
_INFRA_RE = _pattern(INFRASTRUCTURE_TERMS)
_MILITARY_RE = _pattern(MILITARY_TERMS)
#: Any term of any class: one pass finds the notes worth the three class scans.
_ANY_TERM_RE = _pattern(OFFICIAL_TERMS + INFRASTRUCTURE_TERMS + MILITARY_TERMS)
for _rx in (_OFFICIAL_RE, _INFRA_RE, _MILITARY_RE, _ANY_TERM_RE):
    re.compile(_rx)  # fail at import, not on the first million rows, if a term is broken


def _distinct(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str | None]]:
    """(codes, distinct values lower-cased and stripped) of a short categorical column.

    Event types, sides and flags hold a handful of distinct values over a million rows:
    every rule on them is decided once per distinct value and mapped back by code (code
    -1 for a missing cell). A categorical column brings its codes along (no hashing).
    """
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = values.cat.categories
    else:
        codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes, [str(u).lower().strip() for u in uniques]


#: Above this many chunks the text is made contiguous first: Arrow compiles a regex once
#: per chunk (~0.3 ms here), and frames built by ``pd.concat`` can hold thousands. A CSV
#: read of 1M rows has ~70, which are scanned as they are (copying 250 MB of notes into
#: one buffer cost more than the compilations).
_MAX_CHUNKS = 256


def _arrow_text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The Arrow string data behind ``values``, contiguous when it has many chunks."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("string")
    arr = pa.array(values.array)
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > _MAX_CHUNKS:
        arr = arr.combine_chunks()
    return arr


def _mentions(text: pa.Array | pa.ChunkedArray, pattern: str, rows: np.ndarray) -> np.ndarray:
    """Case-insensitive whole-column regex match (Arrow's RE2) on the rows in ``rows``.

    Only undecided rows are scanned (earlier rules win), and matching runs in Arrow
    directly: ``Series.str.contains`` took 15-20x longer on text with non-ASCII
    characters (1M demo notes: 6.3 s against 0.34 s). Missing text never matches.
    """
    out = np.zeros(len(text), dtype=bool)
    where = np.flatnonzero(rows)
    if len(where) == 0:
        return out
    if 2 * len(where) > len(text):  # copying most of the text costs more than scanning it
        found = pc.match_substring_regex(text, pattern, ignore_case=True).fill_null(False)
        return found.to_numpy(zero_copy_only=False).astype(bool) & rows
    subset = text.take(pa.array(where))
    found = pc.match_substring_regex(subset, pattern, ignore_case=True).fill_null(False)
    out[where] = found.to_numpy(zero_copy_only=False).astype(bool)
    return out


def term_mentions(notes: pd.Series) -> np.ndarray:
    """Boolean mask of the notes that name any term of any class (one regex pass).

    The one scan of every note, and the costliest step of :func:`classify_targets`; a
    reader may run it early (in a worker thread: Arrow's regex releases the GIL) and pass
    the mask as ``mentions=``. Missing notes never match.
    """
    return _mentions(_arrow_text(notes), _ANY_TERM_RE, np.ones(len(notes), dtype=bool))


def classify_targets(frame: pd.DataFrame, *, mentions: np.ndarray | None = None
                     ) -> pd.Series:
    """Target class per event (``TARGETS``), by the documented rule order.

    ``frame`` has the canonical columns ``actor2, side2, event_type, sub_event_type,
    notes`` and optionally ACLED's ``civilian_targeting``. ``mentions``: the result of
    :func:`term_mentions` on ``frame["notes"]`` when already computed. Returns a string
    Series named ``target`` with ``frame``'s index. Pure: the frame is not modified.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError("cannot classify targets: columns missing",
                        [Problem(None, None, c, None, "required column missing")
                         for c in missing])
    side_codes, sides = _distinct(frame, "side2")
    type_codes, types = _distinct(frame, "event_type")
    sub_codes, subs = _distinct(frame, "sub_event_type")
    notes = _arrow_text(frame["notes"])

    civilian = by_code(side_codes, [v == "civilians" for v in sides])
    if "civilian_targeting" in frame.columns:
        flag_codes, flags = _distinct(frame, "civilian_targeting")
        civilian |= by_code(flag_codes, [len(v) > 0 for v in flags])

    taliban = by_code(side_codes, [v == "taliban" for v in sides])
    # Notes naming no term of any class need no class scan (most notes, in practice).
    if mentions is None:
        named = _mentions(notes, _ANY_TERM_RE, ~civilian)
    else:
        named = np.asarray(mentions, dtype=bool)
        if named.shape != (len(frame),):
            raise ValueError(f"mentions has {named.size} values for {len(frame)} rows")
    official = _mentions(notes, _OFFICIAL_RE, taliban & ~civilian & named)
    open_rows = ~(civilian | official)
    infra_re = re.compile(_INFRA_RE, re.ASCII)  # RE2's \b: ASCII word characters
    infrastructure = (_mentions(notes, _INFRA_RE, open_rows & named)
                      | (by_code(sub_codes, [bool(infra_re.search(v)) for v in subs])
                         & open_rows))
    open_rows &= ~infrastructure
    military = (by_code(side_codes, [v in ARMED_SIDES for v in sides])
                | by_code(type_codes, [v in _CLASH_EVENT_TYPES for v in types])
                | by_code(sub_codes, [v in _CLASH_SUB_EVENT_TYPES for v in subs]))
    military |= _mentions(notes, _MILITARY_RE, open_rows & ~military & named)

    # Label codes, then one Arrow take: building a million Python-free strings from a
    # NumPy unicode array cost ~0.1 s, the take a few milliseconds.
    codes = np.select([civilian, official, infrastructure, military], [1, 2, 3, 4],
                      default=0).astype(np.int8)
    names = pa.array(["unknown", "civilian", "official", "infrastructure", "military"],
                     type=pa.large_string())
    labels = pd.array(pa.chunked_array([names.take(pa.array(codes))]), dtype="string")
    return pd.Series(labels, index=frame.index, name="target", copy=False)
