"""The tools' ``--help`` shows their docstrings' example commands as written: a backslash at the end
of a line inside a (non-raw) docstring is Python's line continuation, which joins the next line on
with its indentation (``labels.txt         --out ...``). Every line of a tool's docstring must
survive into the text ``--help`` prints."""
import ast

import pytest

from tests.e2e import REPO, run_tool

TOOLS = sorted(str(p.relative_to(REPO)) for p in (REPO / "tools").rglob("*.py") if not p.name.startswith("_"))


def docstring_node(path):
    body = ast.parse((REPO / path).read_text(encoding="utf-8")).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[0].value
    return None


@pytest.mark.parametrize("tool", TOOLS)
def test_every_source_line_of_a_tool_docstring_is_a_line_of_its_help(tool):
    node = docstring_node(tool)
    assert node is not None, f"{tool} has no docstring for its --help"
    source_lines = node.end_lineno - node.lineno + 1
    assert node.value.count("\n") + 1 == source_lines, (
        f"{tool}: a line of its docstring ends with a single backslash (write \\\\ to show one)")


def test_create_lmdb_dataset_help_shows_the_continued_command_on_two_lines():
    printed = run_tool("tools/create_lmdb_dataset.py", "--help", timeout=120).stdout
    assert "--label_file train_data/words/labels.txt \\\n        --out train_data/words_lmdb" in printed
