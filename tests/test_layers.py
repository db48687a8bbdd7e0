"""Layers point one way and no module imports itself in a circle.

A static check over the import statements of `tirconst/` (runtime imports,
including imports inside functions; `if TYPE_CHECKING:` blocks are for type
checkers only and are skipped), plus a test that every module imports.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tirconst"

# Lower layers never import higher ones; the same rank may not import across
# packages either (except where listed), so each layer stands on those below.
RANK = {
    "core": 0,
    "kernels": 0,
    "formats": 0,
    "dialects": 1,
    "analysis": 2,
    "planning": 2,
    "interpreter": 3,
    "transforms": 3,
    "frontend": 4,
    "backend": 4,
    "tools": 6,
    "universe": 5,
}
# Passes check themselves with the interpreter (same rank, one way only); the
# SRAM analysis builds the (IR-independent) planner's problem and bound.
SAME_RANK_ALLOWED = {("transforms", "interpreter"), ("analysis", "planning")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str) -> set[str]:
    """The tirconst modules `module` imports at run time."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            # `from pkg import mod` imports the submodule pkg.mod.
            found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m.split(".")[0] == "tirconst"}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
    return {
        mod: {m for m in _imports(path, mod) if m in files and m != mod}
        for mod, path in files.items()
    }


GRAPH = _graph()


def _layer(module: str) -> str:
    return module.split(".")[1] if "." in module else "tirconst"


def test_every_module_imports() -> None:
    for module in GRAPH:
        importlib.import_module(module)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in `edges` (as a path back to its start), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1:
                return stack[stack.index(d) :] + [d]
            if d not in state and (cycle := visit(d)):
                return cycle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state and (cycle := visit(m)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    # Imports of a package's own __init__ by its submodules are how Python
    # loads packages, not a cycle between modules: drop edges to ancestors.
    edges = {
        m: {d for d in deps if not m.startswith(d + ".")} for m, deps in GRAPH.items()
    }
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_layers_point_down() -> None:
    bad = []
    for module, deps in GRAPH.items():
        layer = _layer(module)
        if layer not in RANK:
            continue
        for dep in deps:
            other = _layer(dep)
            if other == layer or other not in RANK:
                continue
            if RANK[other] > RANK[layer] or (
                RANK[other] == RANK[layer] and (layer, other) not in SAME_RANK_ALLOWED
            ):
                bad.append(f"{module} imports {dep}")
    assert not bad, "layering violations:\n" + "\n".join(sorted(bad))


def test_every_package_has_a_layer() -> None:
    packages = {_layer(m) for m in GRAPH} - {"tirconst"}
    assert packages <= set(RANK), f"give these a rank: {packages - set(RANK)}"


def test_the_checker_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_reader_resolves_imports() -> None:
    # Relative imports are resolved; TYPE_CHECKING blocks are skipped.
    assert "tirconst.core.diagnostics" in GRAPH["tirconst.core.context"]
    assert "tirconst.kernels.fixedpoint" in GRAPH["tirconst.kernels.conv"]
    assert "tirconst.interpreter.program" not in GRAPH["tirconst.interpreter.compile"]
