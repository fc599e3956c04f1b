"""doc/benchmark.md leads with what a reader wants: the figures, each table under the command that
makes it (a script of benchmark/ that exists), before how to run the scripts and the history; and
it reads as documentation, not as a lab notebook (no "this morning", no "the slower machine of
that day", no placeholder paths to fill in)."""
import re
import shlex

from tests.helpers.doc_blocks import REPO, code_blocks, read_page

TEXT = read_page("doc/benchmark.md")
NOTEBOOK = re.compile(r"\b(this|the) (morning|afternoon)|morning's|that day|PATH/TO|machine of the \d{4}", re.I)


def sections(level):
    return re.findall(rf"^{'#' * level} (.+)$", TEXT, flags=re.M)


def test_the_figures_come_first_and_the_history_last():
    assert sections(2)[0] == "The figures" and sections(2)[-1] == "History and analysis"
    figures = TEXT[TEXT.index("## The figures"):TEXT.index("\n## ", TEXT.index("## The figures") + 1)]
    for title in ("Training", "predict_rec", "Time to a model"):
        part = figures[figures.index(f"### {title}"):]
        part = part[:part.index("\n### ", 1)] if "\n### " in part[1:] else part
        (command, *_) = code_blocks(part, "bash")
        assert part.index("```bash") < part.index("| ---"), f"{title}: the command comes before its table"
        script = shlex.split(command.replace("\\\n", " "))[1]
        assert (REPO / script).is_file(), script


def test_no_lab_notebook_phrasing():
    found = [line for line in TEXT.splitlines() if NOTEBOOK.search(line)]
    assert found == [], "\n".join(found)
