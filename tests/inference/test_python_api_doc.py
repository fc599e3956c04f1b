"""doc/python_api.md: every Python block runs as written from the repository's root and prints
what the page shows after it (scores compared to 3 decimals: the last digits depend on the backend;
the comparison is tests/helpers/doc_blocks.py's, as for every page)."""
import pytest

from tests.helpers.doc_blocks import python_examples, read_page, run_python, same_output

PAGE = "doc/python_api.md"
EXAMPLES = python_examples(read_page(PAGE))


def test_every_python_block_shows_what_it_prints():
    assert len(EXAMPLES) == read_page(PAGE).count("```python") == 3


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_prints_what_the_page_shows(index):
    code, shown = EXAMPLES[index]
    printed = run_python(code, f"{PAGE} example {index}")
    assert same_output(shown, printed), f"{PAGE} shows:\n{shown}\nthe example printed:\n{printed}"
