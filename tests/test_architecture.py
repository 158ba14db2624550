"""The floors of the code base (docs/architecture.md): each package imports only the floors below it.

Read from the source (AST), so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# From the ground up; a package may import its own modules and any package on a lower floor.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("atlas_core",),  # the exceptions and the settings
    ("geodata", "spatial", "database"),  # data files and their loader; pure spatial functions; the bureau's PostGIS
    ("layers",),  # the GeoDataFrames
    ("presentation", "safety"),  # texts, colours, themes, pages; escaping and spreadsheet rules
    ("atlas_web", "exports", "userdata"),  # builders of outputs and readers of planners' files
    ("reports",),  # the report pack: chapters and the whole-city report, built from figures and tables
    ("workspace",),  # the session's workspace, its view and the store
    ("app_pages", "atlas_cli"),  # the top: the app's pages, the CLI
    ("app",),  # the app's entry: page config, the shared sidebar, the navigation over app_pages
)
FLOOR_OF = {package: level for level, packages in enumerate(FLOORS) for package in packages}
STREAMLIT_ALLOWED = {"app", "app_pages"}  # `import streamlit` lives only at the top


def package_of(path: Path) -> str:
    """``app_pages/map.py`` -> ``app_pages``; ``atlas_cli.py`` -> ``atlas_cli``."""
    relative = path.relative_to(ROOT) if path.is_absolute() else path
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(source: str) -> list[tuple[int, str, bool]]:
    """(line, module, inside a function) for every absolute import in ``source``."""
    tree = ast.parse(source)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, id(node) in inside) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, id(node) in inside))
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Every import in ``sources`` ({path: text}) that breaks the floors, as "path:line: why"."""
    problems = []
    for path, source in sources.items():
        package = package_of(Path(path))
        level = FLOOR_OF.get(package)
        if level is None:
            problems.append(f"{path}: package {package!r} is on no floor (add it to FLOORS and docs/architecture.md)")
            continue
        for line, module, in_function in imported_modules(source):
            target = module.split(".")[0]
            if target == "streamlit" and package not in STREAMLIT_ALLOWED:
                problems.append(f"{path}:{line}: imports streamlit below the pages")
            if target not in FLOOR_OF or target == package:
                continue
            if FLOOR_OF[target] >= level:
                problems.append(f"{path}:{line}: {package} (floor {level}) imports {module} (floor {FLOOR_OF[target]})")
            elif in_function:
                problems.append(f"{path}:{line}: project import of {module} inside a function (put it at the top)")
    return problems


def project_sources() -> dict[str, str]:
    paths = [ROOT / "app.py", ROOT / "atlas_cli.py"]
    for packages in FLOORS:
        for package in packages:
            if (ROOT / package).is_dir():
                paths += sorted((ROOT / package).glob("*.py"))
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def test_every_package_imports_only_the_floors_below_it():
    assert violations(project_sources()) == []


def test_every_package_of_the_project_is_on_a_floor():
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "scripts", "notebooks"}
    assert on_disk <= set(FLOOR_OF), f"packages on no floor: {sorted(on_disk - set(FLOOR_OF))}"


@pytest.mark.parametrize(
    "path, source, expected",
    [
        ("spatial/query.py", "from layers import load_atlas\n", "spatial (floor 1) imports layers (floor 2)"),
        ("exports/figure.py", "import atlas_web.webmap\n", "exports (floor 4) imports atlas_web.webmap (floor 4)"),
        ("layers/units.py", "def f():\n    from workspace.session import Workspace\n", "imports workspace.session"),
        ("userdata/tables.py", "def f():\n    from spatial.query import x\n", "inside a function"),
        ("presentation/i18n.py", "import streamlit as st\n", "imports streamlit below the pages"),
        ("atlas_docs/chapter.py", "import layers\n", "package 'atlas_docs' is on no floor"),
    ],
)
def test_a_planted_upward_or_sideways_import_is_caught(path, source, expected):
    (problem,) = violations({path: source})
    assert expected in problem


def test_imports_downward_and_within_a_package_pass():
    sources = {
        "workspace/session.py": "from userdata.tables import read_table\nfrom workspace.store import X\n",
        "layers/units.py": "import geopandas\nfrom spatial.crs import PLANNING_CRS\nfrom atlas_core.errors import E\n",
        "app_pages/map.py": "import streamlit as st\nfrom workspace.view import ViewState\n",
    }
    assert violations(sources) == []
