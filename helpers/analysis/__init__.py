"""Pure analysis, one module per theme: DataFrame in, DataFrame (or a small result) out.

Nothing here reads a file or draws; views and notebooks call these functions, and the
explorers call the same ones as the static cells.
"""
