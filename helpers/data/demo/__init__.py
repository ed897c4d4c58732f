"""The labelled synthetic demo events: their generator and the real places they use.

``python -m helpers.data.demo`` rewrites ``data/demo/acled_demo_events.csv`` from the seed.
"""
