"""The web side of the atlas: map building (folium), local web assets, escaping, texts, view state.

Nothing here computes geometry of its own: geometry comes from ``layers`` and ``spatial``.
"""
