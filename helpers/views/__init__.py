"""Presentation: charts, maps, widgets, banners and the notebook cell glue.

Views take frames that the data and analysis layers produced and show them; they never
open a data file, filter or aggregate.
"""
