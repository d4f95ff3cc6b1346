"""The shape of the house: modules short enough to read whole, and dependencies that go one way.

- every module outside migrations and tests is at most 400 lines;
- `sources` imports nothing from `events`;
- the domain (`events`, `sources`) imports nothing from the tooling (`synthetic`, `bench`), nor from
  `releases`, which reads it (releases of the dataset, made of its records);
- `conflictdb`, the shared plumbing, imports no app: only its router (conflictdb/api_urls.py) names the
  apps' views.

Each rule is a function of a project folder, so that it is also run over a small folder that breaks it.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

MAX_LINES = 400
# What each package's modules may not import (top-level packages), and the modules excepted.
FORBIDDEN = {
    "sources": {"events", "releases", "synthetic", "bench"},
    "events": {"releases", "synthetic", "bench"},
    "conflictdb": {"events", "sources", "releases", "synthetic", "bench"},
    "releases": {"synthetic", "bench"},
    "explorer": {"releases", "synthetic", "bench"},
}
EXCEPTED = {"conflictdb/api_urls.py": {"events", "sources", "releases"}}
OUTSIDE = {"migrations", "tests", "__pycache__"}


def modules(root: Path) -> list[Path]:
    """The project's Python modules: top-level ones and those of its packages, without migrations and
    tests."""
    found = sorted(root.glob("*.py"))
    for package in sorted(p.parent for p in root.glob("*/__init__.py")):
        if package.name not in OUTSIDE:
            found += [
                path
                for path in sorted(package.rglob("*.py"))
                if not OUTSIDE & set(path.relative_to(root).parts[:-1])
            ]
    return found


def imported(path: Path, root: Path) -> set[str]:
    """The modules `path` imports, anywhere in it (inside functions too), as absolute dotted names."""
    package = list(path.relative_to(root).parent.parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.add(".".join([*base, *([node.module] if node.module else [])]))
    return names


def long_modules(root: Path) -> dict[str, int]:
    """The modules longer than MAX_LINES, with their lengths."""
    lengths = {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules(root)
    }
    return {name: length for name, length in lengths.items() if length > MAX_LINES}


def forbidden_imports(root: Path) -> list[str]:
    """Every import that goes against the dependencies' direction, as "<module> imports <name>"."""
    found = []
    for path in modules(root):
        name = str(path.relative_to(root))
        forbidden = FORBIDDEN.get(path.relative_to(root).parts[0], set()) - EXCEPTED.get(name, set())
        for module in sorted(imported(path, root)):
            if module.split(".")[0] in forbidden:
                found.append(f"{name} imports {module}")
    return found


def test_no_module_is_longer_than_400_lines():
    assert long_modules(settings.BASE_DIR) == {}


def test_dependencies_go_one_way():
    assert forbidden_imports(settings.BASE_DIR) == []


def test_the_rules_see_the_whole_project():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in modules(settings.BASE_DIR)}
    assert {"manage.py", "conflictdb/settings.py", "events/models.py", "sources/models.py"} <= names
    assert {"synthetic/loading.py", "bench/run.py", "events/api/views.py"} <= names
    assert not any(name.startswith("tests/") or "/migrations/" in name for name in names)
    assert "events.models" in imported(settings.BASE_DIR / "events/api/views.py", settings.BASE_DIR)


def write(root: Path, name: str, text: str):
    path = root / name
    for folder in [path.parent, *path.parent.parents]:
        if folder == root:
            break
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("sources/models.py", "from events.models import Event\n", "sources/models.py imports events.models"),
        (
            "events/views.py",
            "def f():\n    from synthetic import loading\n",
            "events/views.py imports synthetic",
        ),
        ("events/api/listing.py", "import bench.sql\n", "events/api/listing.py imports bench.sql"),
        ("sources/admin.py", "import synthetic.tables as t\n", "sources/admin.py imports synthetic.tables"),
        ("conflictdb/views.py", "from events import models\n", "conflictdb/views.py imports events"),
        (
            "conflictdb/exports.py",
            "from sources.models import Source\n",
            "conflictdb/exports.py imports sources.models",
        ),
        ("conflictdb/api_urls.py", "import synthetic\n", "conflictdb/api_urls.py imports synthetic"),
    ],
)
def test_an_import_against_the_direction_is_found(tmp_path, name, text, found):
    write(tmp_path, name, text)
    assert forbidden_imports(tmp_path) == [found]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("events/models.py", "from sources.models import Source\n"),
        ("sources/api/views.py", "from ..models import Source\n"),  # sources.models
        (
            "conflictdb/api_urls.py",
            "from events.api.views import EventViewSet\nfrom sources.api import views\n",
        ),
        ("synthetic/loading.py", "from events.models import Event\n"),
        ("bench/run.py", "from synthetic import loading\n"),
        ("events/migrations/0001_initial.py", "from synthetic import loading\n"),
        ("tests/test_bench.py", "from bench.server import free_port\n"),
    ],
)
def test_an_import_along_the_direction_is_not(tmp_path, name, text):
    write(tmp_path, name, text)
    assert forbidden_imports(tmp_path) == []


def test_a_module_over_400_lines_is_found(tmp_path):
    write(tmp_path, "manage.py", "pass\n" * (MAX_LINES + 1))
    write(tmp_path, "events/api/listing.py", "pass\n" * (MAX_LINES + 2))
    write(tmp_path, "events/models.py", "pass\n" * MAX_LINES)
    write(tmp_path, "events/migrations/0001_initial.py", "pass\n" * 2 * MAX_LINES)
    write(tmp_path, "tests/test_events.py", "pass\n" * 2 * MAX_LINES)
    assert long_modules(tmp_path) == {"manage.py": MAX_LINES + 1, "events/api/listing.py": MAX_LINES + 2}
