"""Afghan Resistance Workbook helper package.

Notebooks and the batch runner import everything they need from here: readers for
ACLED / UCDP / HDX exports (``helpers.data.sources``), the canonical event schema
(``helpers.data.schemas``), the gazetteer and actor registry, the one loader
(``helpers.data.catalog``), pure analysis functions per theme, and presentation helpers.
"""

__version__ = "0.1.0"
