from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import layers  # noqa: E402


@pytest.fixture(scope="session")
def atlas():
    return layers.load_atlas()


@pytest.fixture(scope="session")
def grid(atlas):
    from spatial.classify import build_unit_grid

    return build_unit_grid(atlas.units)
