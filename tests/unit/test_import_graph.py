"""The import graph of `app/`, counting imports inside functions and under TYPE_CHECKING: the layers of
docs/architecture.md hold: no cycle, nothing below the GUI imports it, the GUI and the CLI reach the data only
through the services, and the connectors only talk HTTP."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"



def _modules() -> dict[str, Path]:
    found = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of ours a dotted name lives in (`app.a.b.Thing` -> `app.a.b`)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> Iterator[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, base] if base else kept)
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name)
            if owner is not None and owner != module:
                yield owner


GRAPH = {module: frozenset(_imports(module)) for module in MODULES}


def _cycles() -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in GRAPH:
        if root in index:
            continue
        work = [(root, iter(sorted(GRAPH[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_graph_is_read_whole() -> None:
    assert GRAPH["app.cli"], "app.cli imports its commands"
    assert "app.ui.launch" in GRAPH["app.ui.start"], "imports inside functions count"


def test_no_cycle() -> None:
    cycles = _cycles()
    assert cycles == []


def test_the_tarjan_walk_finds_a_cycle() -> None:
    """The checker itself: a cycle planted in a copy of the graph is found."""
    global GRAPH
    saved = GRAPH
    try:
        GRAPH = {**saved, "app.domain.models": saved["app.domain.models"] | {"app.core"}}
        assert any("app.domain.models" in c and "app.core" in c for c in _cycles())
    finally:
        GRAPH = saved


def test_layers() -> None:
    entry_points = ("app.cli",)  # it starts the desktop app or its self-test, inside a function
    below_ui = [m for m in MODULES if not m.startswith("app.ui") and m not in entry_points]
    assert [m for m in below_ui if any(i.startswith("app.ui") for i in GRAPH[m])] == []
    assert [m for m in MODULES if m.startswith("app.domain") and any(
        not i.startswith("app.domain") for i in GRAPH[m])] == []


def test_ui_and_commands_go_through_the_core() -> None:
    front = [m for m in MODULES if m.startswith(("app.ui", "app.commands")) or m == "app.selftest"]
    assert sorted(m for m in front if any(i.startswith("app.store") for i in GRAPH[m])) == []


REPOSITORIES = frozenset({"db", "projects", "entries"})


def _is_core(node: ast.expr) -> bool:
    """`core`, `_core`, `self.core`, `shell.core`, ...: the composition root's `Core`."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name in ("core", "_core")


def _repository_reads(source: str) -> set[str]:
    return {node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in REPOSITORIES and _is_core(node.value)}


def test_ui_and_commands_use_services_not_repositories() -> None:
    """Nothing in app/ui or app/commands reads `core.db`, `core.projects` or `core.entries`: services are the door."""
    front = [m for m in MODULES if m.startswith(("app.ui", "app.commands"))]
    reads = {(m, attr) for m in front for attr in _repository_reads(MODULES[m].read_text(encoding="utf-8"))}
    assert sorted(reads) == []


def test_the_repository_check_sees_a_read_through_core() -> None:
    source = "def f(self):\n    return self._core.projects.projects(), shell.core.db, core.entries.get(1)"
    assert _repository_reads(source) == REPOSITORIES
    assert _repository_reads("self.catalog.projects(); db.close()") == set()


def _reach(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        for child in GRAPH[todo.pop()] - seen:
            seen.add(child)
            todo.append(child)
    return seen


def test_connectors_only_talk_http() -> None:
    """The connectors are built from their parts and never reach the database or the sync service."""
    connectors = [m for m in MODULES if m.startswith(("app.sync.xero", "app.sync.quickbooks."))]
    assert "app.sync.quickbooks.provider" in connectors
    reaching = {m: sorted(i for i in _reach(m) if i.startswith(("app.store", "app.sync.service", "app.sync.outbox",
                                                                 "app.sync.store", "app.sync.pipeline")))
                for m in connectors}
    assert {m: r for m, r in reaching.items() if r} == {}
