"""The interactive map: folium layers, basemaps, the app's own web assets, a click's meaning, and the map
saved as one self-contained HTML file.

Nothing here computes geometry of its own: geometry comes from ``layers`` and ``spatial``.
"""
