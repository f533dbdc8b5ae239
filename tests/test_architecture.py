"""The shape of the package, checked from its source (nothing is imported):

- no import circle among mtcheck's modules, counting the imports inside functions too;
- no private name (``_x``) imported from another package;
- ``cli.py`` under 400 lines, and no function in ``src/`` over 60 lines.

How fast ``mtcheck --help`` answers is measured by scripts/bench_cli.py, not asserted here;
that the flags-only path imports no torch is tests/test_check_cli.py's.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "mtcheck"
CLI_LINES = 400
FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return skipped


def _base(name: str, node: ast.ImportFrom) -> str:
    """The module a ``from … import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = name if _is_package(name) else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports(name: str) -> list[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for every import in module ``name``,
    at the top or inside a function; a ``from package import submodule`` is the submodule."""
    tree = _tree(name)
    skipped = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(name, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule, None) if submodule in MODULES else (base, alias.name))
    return [(module, taken) for module, taken in found if module.split(".")[0] == "mtcheck"]


def import_graph() -> dict[str, set[str]]:
    return {
        name: {module for module, _ in imports(name) if module in MODULES and module != name}
        for name in MODULES
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")  # __version__ is public


def _package(name: str) -> str:
    return name if _is_package(name) else name.rpartition(".")[0]


def test_no_import_circle_among_mtchecks_modules():
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_is_imported_from_another_package():
    crossing = []
    for name in MODULES:
        for module, taken in imports(name):
            private = [part for part in (*module.split("."), taken or "") if _private(part)]
            target_package = _package(module) if module in MODULES else module
            if private and target_package != _package(name):
                crossing.append(f"{name} imports {module}{'.' + taken if taken else ''}")
    assert crossing == []


def test_the_command_line_module_is_thin():
    lines = len(MODULES["mtcheck.cli"].read_text(encoding="utf-8").splitlines())
    assert lines < CLI_LINES


def long_functions() -> list[str]:
    found = []
    for name in MODULES:
        for node in ast.walk(_tree(name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LINES:
                    found.append(f"{name}.{node.name} ({length} lines)")
    return found


def test_no_function_in_src_is_over_60_lines():
    assert long_functions() == []


@pytest.mark.parametrize("graph", [{"a": set(), "b": {"a"}}])
def test_a_graph_without_circles_passes(graph):
    assert circles(graph) == []
