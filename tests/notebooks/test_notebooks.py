"""The three notebooks run top to bottom (nbclient) and show their answers, so they cannot rot."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # each test runs a notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = {
    "01_layout.ipynb": ["苏州工业园区", "huning", "主城区接轴端", "姑苏实验室", "特种合金技术创新中心"],
    "02_corridor_statistics.ipynb": ["footprint_land_km2", "members_land_km2", "依托太湖布局科创资源", "<Figure"],
    "03_bring_your_own_data.ipynb": ["gb18030", "9 rows: 6 accepted, 1 doubtful, 2 rejected", "00101", "swapped"],
}
IMAGES = {"02_corridor_statistics.ipynb": 2, "03_bring_your_own_data.ipynb": 1}


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == sorted(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_answers(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    for expected in EXPECTED[path.name]:
        assert expected in text, expected
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    assert images >= IMAGES.get(path.name, 0)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_hold_no_logic_of_their_own(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "def " not in code and "class " not in code and "lambda" not in code
    assert "import layers" in code
