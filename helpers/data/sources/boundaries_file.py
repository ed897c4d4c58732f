"""Province boundary files (GeoJSON polygons) found in a data folder.

They are not tables: a folder scan lists them as skipped, with where they belong
(``boundaries_path``), instead of calling them an unknown layout. The maps read them with
:func:`helpers.data.reference.boundaries.match_boundaries` (geometry first, then code,
then name; contradictions listed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.sources._csv import Layout
from helpers.errors import DataError, Problem


def read(path: str | Path, **_: object) -> pd.DataFrame:
    """Boundaries are not a table: say where they go."""
    path = Path(path)
    raise DataError(f"{path.name} holds province boundaries: pass it as boundaries_path",
                    [Problem(str(path), None, None, None, "a boundaries file, not a table")])


LAYOUTS = [
    Layout("province_boundaries", "boundaries",
           frozenset({"geojson:featurecollection", "geometry:polygon"}), read,
           "province boundaries (GeoJSON polygons)"),
    Layout("province_boundaries_multi", "boundaries",
           frozenset({"geojson:featurecollection", "geometry:multipolygon"}), read,
           "province boundaries (GeoJSON multipolygons)"),
]
