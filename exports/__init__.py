"""Report-ready exports: map figures (PNG/SVG/PDF) and the layout's data in every format.

One implementation behind both the app's Export page and ``atlas export``.
"""
