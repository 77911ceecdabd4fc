"""No import loops between the app's modules: each package's blueprint lives in a module
that imports none of its route modules, and init_app() brings the route modules in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_THE_APP = {"tests", "scripts"}  # folders with an __init__.py that the app never imports
# Every package of the app, read from the folders, so a new one is checked from its first day.
PACKAGES = tuple(sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in NOT_THE_APP))
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


def test_every_package_is_installed():
    """pyproject's package list names every package, or a non-editable install breaks at
    the first import of the one left out (as happened to shell/ and live/)."""
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert sorted(name.rstrip("*") for name in include["find"]["include"]) == list(PACKAGES)
    assert "live" in PACKAGES and "tests" not in PACKAGES


# Where a response's caching is decided: the one no_store() helper, the default for private
# pages and the static files (core/web.py), the shell's service worker and manifest, and
# the poll's fast path, which answers before Flask and so cannot use the helper.
CACHE_DECIDED_IN = {"extensions.py", "core/web.py", "shell/routes.py", "peer/fast_poll.py"}


def test_no_store_is_written_in_one_place():
    """A "no-store" written by hand is how one page forgets it; views call no_store()."""
    hand = []
    for path in [ROOT / f"{name}.py" for name in TOP_MODULES] + [
        p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
    ]:
        where = str(path.relative_to(ROOT))
        if where not in CACHE_DECIDED_IN and re.search(
            r"[\"']no-store|[\"']Cache-Control[\"']", path.read_text("utf-8")
        ):
            hand.append(where)
    assert not hand, f"Cache-Control written by hand in {hand}: use extensions.no_store()"


def test_sessions_start_and_end_in_one_place():
    """Starting or ending a signed-in session anywhere but core/sessions.py forgets a part of
    it (the tries, the key copy, the session's clock), as joining by invitation once did."""
    elsewhere = [
        str(path.relative_to(ROOT))
        for pkg in PACKAGES
        for path in (ROOT / pkg).rglob("*.py")
        if path != ROOT / "core" / "sessions.py" and re.search(r"\b(login_user|logout_user)\b", path.read_text("utf-8"))
    ]
    assert not elsewhere, f"login_user/logout_user outside core/sessions.py: {elsewhere}"


def test_role_facts_are_asked_of_permissions_not_spelled_out():
    """A role is compared through accounts/permissions.py's constants and an approved peer
    supporter through User.is_approved_peer, in code and templates alike (issue 14)."""
    literal = re.compile(r"""\brole\s*[!=]=\s*["'](client|peer|relative|coordinator)["']""")
    found = [
        str(path.relative_to(ROOT))
        for pkg in PACKAGES
        for path in (ROOT / pkg).rglob("*.py")
        if path.name != "permissions.py" and literal.search(path.read_text("utf-8"))
    ]
    found += [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "peer_approved_at" in (text := path.read_text("utf-8")) or literal.search(text)
    ]
    assert not found, f"role facts spelled out in {found}"
