"""README.md and doc/ are user documentation: they name no path of the machine they were written
on, no file outside the repository, and none of the project's internal bookkeeping (issue, PR and
stage numbers, "seed documents"); and the output they show is the output their examples print
(``tests/helpers/doc_blocks.py`` runs them)."""
import re
import shlex

import pytest

from tests.helpers.doc_blocks import (REPO, TIMESTAMP, clone_view, code_blocks, console_examples, doc_pages, python_examples,
                              read_page, run_command, run_python, same_output, terminal_text, write_input_files)

NOT_FOR_USERS = {
    "a path of the machine the page was written on": re.compile(r"(?<![\w.~$-])/(?:work|root|home|Users|tmp)/"),
    "a file outside the repository": re.compile(r"\.\./shared"),
    "the project's own name for the PaddleOCR documents and configs": re.compile(r"\bseed (?:document|config)",
                                                                                re.IGNORECASE),
    "an issue number": re.compile(r"\bissues? #?\d+", re.IGNORECASE),
    "a pull request number": re.compile(r"\bPR #?\d+"),
    "a stage number": re.compile(r"\bstage[ -]?\d+", re.IGNORECASE),
}
# pages being rewritten elsewhere: the check skips them until then
KNOWN_EXCEPTIONS = {}


def hits(text):
    """[(line number, what, line)] of the lines of ``text`` that are not for a user."""
    return [(number, what, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
            for what, pattern in NOT_FOR_USERS.items() if pattern.search(line)]


def test_the_check_sees_each_kind_and_spares_a_users_paths():
    caught = {what for _, what, _ in hits(
        "python tools/eval.py -o Global.pretrained_model=/tmp/ev/model/filled\n"
        "weights of `../shared/compat/fill_params.py`\n"
        "the seed documents' commands; all three seed configs\n"
        "## What changed for speed (issue 11), PaddleOCR issue #16384\n"
        "see PR 12\n"
        "with the shipped stage-6 weights\n")}
    assert caught == set(NOT_FOR_USERS)
    assert hits("--seed 12; ~/.cache/paddle_extensions; --fonts /usr/share/fonts; $HOME/.cache; a staged file\n"
                "https://github.com/PaddlePaddle/PaddleOCR/issues/16384") == []


def test_a_progress_bar_leaves_no_line_whatever_its_padding():
    """A bar redrawn over a longer one ends in spaces (a rate shown with fewer digits): the page's
    output must not depend on how fast the machine drew it."""
    for padding in ("", " ", "   "):
        raw = ("line 4 skipped\n\rlmdb:  40%|####      | 2/5 [00:01<00:02, 1.23line/s]"
               f"\rlmdb: 100%|##########| 5/5 [00:01<00:00, 3.1line/s]{padding}\nwrote 2 samples\n")
        assert terminal_text(raw) == "line 4 skipped\nwrote 2 samples\n"


def test_readme_and_doc_are_written_for_users():
    found = []
    for page in doc_pages():
        if page.as_posix() in KNOWN_EXCEPTIONS:
            continue
        found += [f"{page}:{number}: {what}: {line[:120]}" for number, what, line in hits(read_page(page))]
    assert found == [], "rewrite these lines for a user:\n" + "\n".join(found)


def test_the_known_exceptions_are_pages_that_exist():
    assert all((REPO / page).is_file() for page in KNOWN_EXCEPTIONS)


# pages whose examples a test of their own runs (with more checks than their output)
OWN_TESTS = {
    "doc/python_api.md": "tests/inference/test_python_api_doc.py",
    "doc/serving.md": "tests/serving/test_serving_doc.py",
    "doc/tools/predict_rec.md": "tests/cli/test_predict_rec_doc.py",
    "doc/training_own_data.md": "tests/test_training_own_data_doc.py",
}
GENERIC_PAGES = [page for page in doc_pages() if page.as_posix() not in OWN_TESTS]
PYTHON_EXAMPLES = [(page, index, code, output) for page in GENERIC_PAGES
                   for index, (code, output) in enumerate(python_examples(read_page(page)))]


@pytest.mark.parametrize("page, index, code, output", PYTHON_EXAMPLES,
                         ids=[f"{page}-{index}" for page, index, _, _ in PYTHON_EXAMPLES])
def test_python_examples_print_what_the_page_shows(page, index, code, output, tmp_path):
    view = clone_view(tmp_path)
    write_input_files(view, read_page(page))
    printed = run_python(code, f"{page} example {index}", cwd=view)
    assert same_output(output, printed), f"{page} shows:\n{output}\nthe example printed:\n{printed}"


CONSOLE_PAGES = [page for page in GENERIC_PAGES if console_examples(read_page(page))]


@pytest.mark.subprocess_tools
@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=str)
def test_console_examples_print_what_the_page_shows(page, tmp_path):
    """Each page's commands run in order in one view of the repository (a later command may read
    what an earlier one wrote), after the page's input files are written there."""
    text = read_page(page)
    view = clone_view(tmp_path)
    write_input_files(view, text)
    for command, output in console_examples(text):
        status, printed = run_command(command, view)
        assert status == 0 and same_output(output, printed), \
            f"{page}: $ {command}\n--- the page shows:\n{output}\n--- exit status {status}, printed:\n{printed}"


def test_the_doc_pages_show_console_and_python_examples():
    """The two parametrized tests above find the examples they are meant to run, and the pages
    left to tests of their own have them."""
    assert {"README.md", "doc/evaluation.md", "doc/tools/create_lmdb_dataset.md"} <= \
        {page.as_posix() for page in CONSOLE_PAGES} | {page.as_posix() for page, *_ in PYTHON_EXAMPLES}
    assert all((REPO / test).is_file() for test in OWN_TESTS.values())


def test_the_notice_train_md_shows_for_a_dataset_renamed_on_the_command_line(capsys, monkeypatch):
    """The line doc/tools/train.md shows under its command is the one that command logs: the
    command's options are read (``setup``, what every tool does first) without its training,
    which needs the user's LMDBs."""
    from ppocr.cli.startup import setup

    (block,) = [b for b in code_blocks(read_page("doc/tools/train.md"), "bash") if "# ppocr INFO:" in b]
    lines = block.replace("\\\n", " ").splitlines()
    command = next(line for line in lines if line.startswith("python tools/train.py"))
    notices = [line[len("# "):] for line in lines if line.startswith("# ppocr INFO:")]
    monkeypatch.chdir(REPO)
    setup(shlex.split(command)[2:], "train")
    logged = [TIMESTAMP.sub("", line).strip() for line in capsys.readouterr().out.splitlines() if "dropped" in line]
    assert logged == notices
