"""Report-ready exports: map figures (PNG/SVG/PDF), a self-contained interactive map, and data.

One implementation behind both the app's Export page and ``atlas export``.
"""
