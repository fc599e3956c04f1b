"""The tools' ``--help`` shows their descriptions' example commands as written (each tool's
``DESCRIPTION`` in ppocr/cli, which its console script shows too): a backslash at the end of a line
inside a (non-raw) string is Python's line continuation, which joins the next line on with its
indentation (``labels.txt         --out ...``). Every source line of a description must survive into
the text ``--help`` prints."""
import ast

import pytest

from tests.helpers.e2e import REPO, run_tool

MODULES = sorted(str(p.relative_to(REPO)) for p in (REPO / "ppocr" / "cli").glob("*.py")
                 if "DESCRIPTION = " in p.read_text(encoding="utf-8"))


def description_node(path):
    for node in ast.parse((REPO / path).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["DESCRIPTION"]:
            return node.value
    return None


def test_every_tool_that_takes_its_help_from_a_description_has_one():
    assert len(MODULES) == 10 and all(description_node(m) is not None for m in MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_source_line_of_a_description_is_a_line_of_its_help(module):
    node = description_node(module)
    source_lines = node.end_lineno - node.lineno + 1
    assert node.value.count("\n") + 1 == source_lines, (
        f"{module}: a line of its DESCRIPTION ends with a single backslash (write \\\\ to show one)")


@pytest.mark.subprocess_tools
def test_create_lmdb_dataset_help_shows_the_continued_command_on_two_lines():
    printed = run_tool("tools/create_lmdb_dataset.py", "--help", timeout=120).stdout
    assert "--label_file train_data/words/labels.txt \\\n        --out train_data/words_lmdb" in printed
