"""docs/architecture.md keeps a map of the modules, one table per package: every module, page
script and script is named in its package's table, and every file the document names exists,
so a new module or a renamed one fails here instead of leaving the map behind."""

from __future__ import annotations

import os
import re

from tests.test_imports import PACKAGES, ROOT, TOP_MODULES

DOC = ROOT / "docs" / "architecture.md"
TOP = "top level"  # the first cell of the table of app.py, config.py, extensions.py
NOT_THE_REPO = {".venv", "node_modules", ".git"}


def _tables() -> dict[str, set[str]]:
    """The file names in backticks in each table's rows, by the folder the table maps: the one
    its header names (`core/`, `static/js/`, top level), else its section's (`## People (`peer/`)`)."""
    named: dict[str, set[str]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    section = folder = None
    for i, line in enumerate(lines):
        if line.startswith("## "):
            found = re.search(r"`([\w/]+?)/", line)
            section = folder = found and found.group(1)
        elif line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            first = line.split("|")[1].strip().strip("`").rstrip("/")
            folder = first if first == TOP or (ROOT / first).is_dir() else section
        elif line.startswith("|") and folder:
            named.setdefault(folder, set()).update(re.findall(r"`([\w-]+\.(?:py|js))`", line))
    return named


def _in_folders() -> dict[str, set[str]]:
    files = {TOP: {f"{name}.py" for name in TOP_MODULES}}
    for package in PACKAGES:
        files[package] = {p.name for p in (ROOT / package).rglob("*.py") if p.name != "__init__.py"}
    files["static/js"] = {p.name for p in (ROOT / "static" / "js").glob("*.js")}
    files["scripts"] = {p.name for p in (ROOT / "scripts").glob("*.py") if p.name != "__init__.py"}
    return files


def test_every_module_is_in_its_table():
    named = _tables()
    missing = {folder: sorted(files - named.get(folder, set())) for folder, files in _in_folders().items()}
    missing = {folder: names for folder, names in missing.items() if names}
    assert not missing, f"not in their table in docs/architecture.md: {missing}"


def test_every_name_in_a_table_is_in_its_folder():
    files = _in_folders()
    gone = {folder: sorted(names - files.get(folder, set()) - {"__init__.py"}) for folder, names in _tables().items()}
    gone = {folder: names for folder, names in gone.items() if names}
    assert not gone, f"named in a table of docs/architecture.md, but not in that folder: {gone}"


def test_every_python_file_named_exists():
    """A `something.py` anywhere in the text (a path, or a bare name) names a file of the repo."""
    names = set(re.findall(r"`([\w./-]+\.py)`", DOC.read_text(encoding="utf-8")))
    in_repo = set()
    for _folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in NOT_THE_REPO]
        in_repo.update(name for name in files if name.endswith(".py"))
    gone = sorted(n for n in names if not ((ROOT / n).is_file() if "/" in n else n in in_repo))
    assert not gone, f"docs/architecture.md names files that do not exist: {gone}"
