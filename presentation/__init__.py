"""Shared presentation: texts in both languages, colours and symbols, indicator themes, the page list
and the display geometry that the map, figures, reports, CLI and pages all use. No streamlit."""
