"""The mock's module layout: no import cycle, route modules named like the SDK's resources.

The import graph is read with ``ast`` (nothing is imported), counting every
import statement, also those inside functions or ``if TYPE_CHECKING:`` blocks,
so a cycle cannot hide behind a type-checking-only import.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import calendly_async
import calendly_async.mock

PACKAGE = "calendly_async.mock"
MOCK = Path(calendly_async.mock.__file__).parent
RESOURCES = Path(calendly_async.__file__).parent / "resources"


def _module_name(root: Path, package: str, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    anchor = module.split(".")
    anchor = anchor if is_package else anchor[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (files under ``root``) -> the package's modules it imports."""
    paths = {_module_name(root, package, path): path for path in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _base(module, path.name == "__init__.py", node)
                submodules = {f"{base}.{alias.name}" for alias in node.names}
                found = submodules & paths.keys()
                targets.update(found or {base})
        graph[module] = {target for target in targets if target in paths and target != module}
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle (``[a, b, ..., a]``), or ``None`` when the graph is acyclic."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle is not None:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle is not None:
            return cycle
    return None


def test_find_cycle_sees_a_cycle_behind_type_checking(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "_a.py").write_text("from ._b import B\nA = 1\n")
    (tmp_path / "_b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ._a import A\nB = 2\n"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("from . import leaf\n")
    (tmp_path / "sub" / "leaf.py").write_text("from .._a import A\n")
    graph = import_graph(tmp_path, "pkg")
    assert graph == {
        "pkg": set(),
        "pkg._a": {"pkg._b"},
        "pkg._b": {"pkg._a"},
        "pkg.sub": {"pkg.sub.leaf"},
        "pkg.sub.leaf": {"pkg._a"},
    }
    assert find_cycle(graph) == ["pkg._a", "pkg._b", "pkg._a"]
    assert find_cycle({**graph, "pkg._b": set()}) is None


def test_the_mock_has_no_import_cycle() -> None:
    graph = import_graph(MOCK, PACKAGE)
    # The graph really was read: the app reaches the route tables, the routes the context.
    assert f"{PACKAGE}.routes" in graph[f"{PACKAGE}._app"]
    assert f"{PACKAGE}._context" in graph[f"{PACKAGE}.routes.scheduled_events"]
    assert f"{PACKAGE}._faults" in graph[f"{PACKAGE}._context"]
    assert find_cycle(graph) is None


# Calendly's event-type area is served by two modules: ``event_types`` (list, get,
# available times, create, update, one-off) and ``event_type_settings`` (hosts and
# event type availability), which together would pass 550 lines.
_ROUTE_MODULES_WITHOUT_A_RESOURCE = {"event_type_settings"}


def test_route_modules_are_named_like_the_resources() -> None:
    resources = {path.stem for path in RESOURCES.glob("[!_]*.py")}
    routes = {path.stem for path in (MOCK / "routes").glob("[!_]*.py")}
    assert "scheduled_events" in resources
    assert routes == resources | _ROUTE_MODULES_WITHOUT_A_RESOURCE


def test_no_prefix_stands_in_for_a_folder() -> None:
    flat = sorted(path.name for path in MOCK.glob("_*.py"))
    assert "_app.py" in flat
    assert [name for name in flat if name.startswith(("_routes_", "_seed"))] == []
    assert (MOCK / "seed" / "build.py").is_file()
