"""No import loops between the app's modules: each package's blueprint lives in a module
that imports none of its route modules, and init_app() brings the route modules in."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "accounts", "diary", "peer", "push", "help", "shell")
TOP_MODULES = ("app", "config", "extensions")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _known() -> dict[str, Path]:
    modules = {name: ROOT / f"{name}.py" for name in TOP_MODULES}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            modules[_module_name(path)] = path
    return modules


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every app module this one imports, at the top or inside a function. `from pkg import
    mod` names the module mod; a package's own __init__ counts only through `import pkg`."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known and not (ROOT / base.replace(".", "/") / "__init__.py").exists():
                    found.add(base)
    found.discard(name)
    return found


def test_no_module_imports_itself_round_a_loop():
    known = _known()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    loops, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                loops.append(" -> ".join(trail[trail.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert len(graph) > 60
    assert not loops, "\n".join(loops)
