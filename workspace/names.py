"""What makes two workspace names the same name: one rule for the store, links and pages.

Two names are the same when they are equal once trimmed (runs of white space made one space) and
in Unicode normal form C: ``é`` typed as one character (U+00E9) or as ``e`` and a combining acute
(U+0301) look the same, so they name one workspace. Names are stored in that form.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 80  # characters of a stored name


def name_key(name: object) -> str:
    """``name`` as stored and compared: trimmed, one line, NFC, at most MAX_NAME characters.

    Example: ``name_key(" cafe\\u0301  1 ") == "caf\\u00e9 1"``.
    """
    return unicodedata.normalize("NFC", " ".join(str(name).split()))[:MAX_NAME]


def find_name(wanted: object, names) -> str | None:
    """The one of ``names`` that ``wanted`` names: the same text if there, else the first that is the
    same name (:func:`name_key`); None if none is."""
    names = list(names)
    if wanted in names:
        return str(wanted)
    key = name_key(wanted)
    return next((name for name in names if name_key(name) == key), None)
