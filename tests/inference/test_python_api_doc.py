"""doc/python_api.md: every Python block runs as written from the repository's root and prints
what the page shows after it (scores compared to 3 decimals: the last digits depend on the backend)."""
import json
import re

import pytest

from tests.e2e import REPO

PAGE = REPO / "doc" / "python_api.md"
EXAMPLES = re.findall(r"```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", PAGE.read_text(encoding="utf-8"),
                      flags=re.S)


def comparable(line):
    """A printed line with every float of a JSON line rounded to 3 decimals."""
    if line.startswith("[") or line.startswith("{"):
        return json.loads(line, parse_float=lambda text: round(float(text), 3))
    return line


def test_every_python_block_shows_what_it_prints():
    page = PAGE.read_text(encoding="utf-8")
    assert len(EXAMPLES) == page.count("```python") == 3


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_prints_what_the_page_shows(index, monkeypatch, capsys):
    code, shown = EXAMPLES[index]
    monkeypatch.chdir(REPO)
    exec(compile(code, f"doc/python_api.md example {index}", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert [comparable(line) for line in printed] == [comparable(line) for line in shown.splitlines()]
