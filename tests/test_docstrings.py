"""The imports of the examples in ppocr's docstrings name modules and objects that exist (a moved
function leaves no stale example behind)."""
import ast
import importlib
import re

from tests.helpers.e2e import REPO

EXAMPLE_IMPORT = re.compile(r"^\s*from (ppocr[\w.]*) import ([\w, ]+)$", re.M)


def example_imports(source):
    """[(module, name)] of the ``from ppocr... import ...`` lines in the docstrings of ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)):
            for m in EXAMPLE_IMPORT.finditer(ast.get_docstring(node) or ""):
                found += [(m.group(1), name.strip()) for name in m.group(2).split(",")]
    return found


def missing(module, name):
    try:
        return not hasattr(importlib.import_module(module), name) and importlib.util.find_spec(f"{module}.{name}") is None
    except ImportError:
        return True


def test_docstring_examples_import_what_exists():
    stale = [(str(path.relative_to(REPO)), module, name) for path in sorted((REPO / "ppocr").rglob("*.py"))
             for module, name in example_imports(path.read_text(encoding="utf-8")) if missing(module, name)]
    assert stale == []


def test_the_check_sees_a_stale_example():
    source = '"""Example::\n\n    from ppocr.engine import build_charset\n    from ppocr.charset import build_charset\n"""'
    assert [(m, n) for m, n in example_imports(source) if missing(m, n)] == [("ppocr.engine", "build_charset")]
