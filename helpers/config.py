"""Every path the project uses, in one place (Cookiecutter Data Science habit).

Nothing else in the package hard-codes a directory: import from here.
``ARW_DATA_DIR`` / ``ARW_REPORTS_DIR`` environment variables override the data and
report roots (tests use them to work in a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]

DATA_DIR = Path(os.environ.get("ARW_DATA_DIR", PROJ_ROOT / "data"))
RAW_DIR = DATA_DIR / "raw"
CURATED_DIR = PROJ_ROOT / "data" / "curated"
DEMO_DIR = PROJ_ROOT / "data" / "demo"
#: Shipped third-party open data (UCDP, OCHA, UNHCR, FARA, boundaries), byte-for-byte.
OPEN_DIR = PROJ_ROOT / "data" / "open"
PROCESSED_DIR = Path(os.environ.get("ARW_PROCESSED_DIR", DATA_DIR / "processed"))

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = Path(os.environ.get("ARW_REPORTS_DIR", PROJ_ROOT / "reports"))
HELPERS_DIR = PROJ_ROOT / "helpers"

#: The Taliban took Kabul on this date; UCDP codes "Government of Afghanistan" as the
#: Taliban-led state from here on.
TAKEOVER_DATE = "2021-08-15"

#: Earliest event date the schema accepts (Soviet intervention, December 1979).
EARLIEST_EVENT_DATE = "1979-01-01"

#: Afghanistan's bounding box (degrees) plus a 0.5 degree margin, used by the schema.
AFG_BBOX = {"lat_min": 29.377 - 0.5, "lat_max": 38.491 + 0.5,
            "lon_min": 60.478 - 0.5, "lon_max": 74.880 + 0.5}
