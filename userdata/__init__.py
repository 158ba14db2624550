"""Planners' own data: point tables and boundary files, checked, classified and joined onto the layout.

One implementation behind the app's Import page and ``atlas classify``.
"""
