"""The Python version the project states (setup.py's python_requires, README's first lines) is one
version, and no source file uses a language feature or standard-library name newer than it."""
import ast
import re

from tests.helpers.e2e import REPO

SOURCES = sorted(p for folder in ("ppocr", "tools", "benchmark") for p in (REPO / folder).rglob("*.py"))
# standard-library names and call forms newer than 3.9, with the version that brought them
NEWER_NAMES = {
    ("itertools", "pairwise"): (3, 10), ("itertools", "batched"): (3, 12), ("typing", "Self"): (3, 11),
    ("typing", "override"): (3, 12), ("enum", "StrEnum"): (3, 11), ("datetime", "UTC"): (3, 11),
    ("hashlib", "file_digest"): (3, 11), ("contextlib", "chdir"): (3, 11), ("asyncio", "TaskGroup"): (3, 11),
    ("asyncio", "timeout"): (3, 11), ("operator", "call"): (3, 11), ("typing", "TypeAlias"): (3, 10),
    ("typing", "ParamSpec"): (3, 10),
}
NEWER_MODULES = {"tomllib": (3, 11)}


def stated_minimum():
    tree = ast.parse((REPO / "setup.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "setup"]
    [requires] = [k.value.value for k in calls[0].keywords if k.arg == "python_requires"]
    major, minor = re.fullmatch(r">=(\d+)\.(\d+)", requires).groups()
    return int(major), int(minor)


def needed(tree):
    """{(version): reason} of the features in ``tree`` newer than 3.9."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            version = NEWER_NAMES.get((node.value.id, node.attr))
            if version:
                found[version] = f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                version = NEWER_NAMES.get((node.module, alias.name)) or NEWER_MODULES.get(node.module)
                if version:
                    found[version] = f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in NEWER_MODULES:
                    found[NEWER_MODULES[alias.name]] = f"import {alias.name}"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "zip":
            if any(k.arg == "strict" for k in node.keywords):
                found[(3, 10)] = "zip(strict=...)"
        elif type(node).__name__ in ("Match", "TryStar"):
            found[(3, 10) if type(node).__name__ == "Match" else (3, 11)] = type(node).__name__
    return found


def test_readme_states_the_version_of_setup_py():
    major, minor = stated_minimum()
    head = (REPO / "README.md").read_text(encoding="utf-8")[:600]
    assert f"Python {major}.{minor}+" in head


def test_no_source_needs_a_newer_python_than_setup_py_states():
    minimum = stated_minimum()
    problems = {}
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        ast.parse(source, feature_version=minimum)  # the grammar of the stated version
        newer = {v: why for v, why in needed(ast.parse(source)).items() if v > minimum}
        if newer:
            problems[str(path.relative_to(REPO))] = newer
    assert not problems, f"setup.py states Python >= {minimum}, but these need newer: {problems}"


def test_the_check_sees_pairwise():
    assert needed(ast.parse("import itertools\nitertools.pairwise([1, 2])")) == {(3, 10): "itertools.pairwise"}
