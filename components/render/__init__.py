"""Presentation that the JSON API, the tile server and the exports use without Dash: colour maps and tile PNG
encoding, map snapshot pictures, the figure renderer (kaleido + Debian chromium) and report text.

Nothing here imports ``dash``: ``api/`` imports these modules, and a test checks in a fresh interpreter that the JSON
API never loads Dash.
"""
