"""Running the examples of the user documentation (README.md, doc/) and comparing what they print
with what the page shows.

A page shows output in one of three ways, and each has its reader here:

- a ``python`` block followed by ``prints`` and a ``text`` block (``python_examples``): the block
  is run and its printed lines compared;
- a ``console`` block of ``$ python ...`` commands, each followed by its output
  (``console_examples``): each command is run in a subprocess, from a view of the repository
  (``clone_view``), and its output (stdout and stderr, as a terminal shows them, less the
  progress bars) compared;
- a ``# ...`` comment under a line of a ``bash`` or ``python`` block (the service's page: its own
  test sends the requests).

The comparison (``same_output``, ``shown``): ``...`` inside a line stands for any text (a score's
further digits), a line of only ``...`` for any number of lines (start-up lines the page leaves
out), the time stamp of a log line (``[2026/12/06 07:51:09]``) for any time stamp, and the numbers
of a JSON line are compared to 3 decimals (a score's last digits depend on the backend): these are
the only things allowed to differ. A ``text`` block whose info string names a file
(```` ```text file=my_words/labels.txt ````; GitHub renders it as plain text) is an input of the
page's examples and is written into the view before they run (``write_input_files``); so is a
``yaml file=PATH`` block (a config the page shows whole).
"""
import contextlib
import functools
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# log lines carry the time they were written; the only number of a tool's output that never repeats
TIMESTAMP = re.compile(r"\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\]")
# a tqdm bar as drawn (a carriage return, the bar, its [elapsed<remaining, rate] part), and its line end when
# it is left on screen
# a bar drawn over a longer one is padded with spaces to cover it (how long depends on the rate shown)
PROGRESS_BAR = re.compile(r"\r[^\r\n]*?\[\d+:\d\d[^\]\r\n]*\] *\n?")
# what a view of the repository leaves out: what the examples write, and what they must not read. The
# package is still imported from the repository: Python puts a tool's folder on sys.path with its links
# resolved, and the tools put that folder's parent first
NOT_IN_VIEW = {".git", "output", "inference", "train_data", "tests"}


def doc_pages():
    """README.md and every page of doc/ (user documentation), relative to the repository."""
    return [Path("README.md"), *sorted(p.relative_to(REPO) for p in (REPO / "doc").rglob("*.md"))]


def read_page(page):
    return (REPO / page).read_text(encoding="utf-8")


def code_blocks(text, language):
    """The contents of the page's fenced blocks of ``language`` (its info string's first word)."""
    return re.findall(rf"^```{language}(?:[ \t][^\n]*)?\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def shown(pattern_line, actual):
    """Whether the line ``actual`` is what the page's ``pattern_line`` shows (see the module)."""
    pattern_line, actual = TIMESTAMP.sub("[T]", pattern_line.rstrip()), TIMESTAMP.sub("[T]", actual.rstrip())
    if "..." in pattern_line:
        pattern = ".*".join(re.escape(part) for part in pattern_line.split("..."))
        return re.fullmatch(pattern, actual, flags=re.DOTALL) is not None
    return _rounded_json(pattern_line) == _rounded_json(actual)


def _rounded_json(line):
    """The value of a JSON line with its numbers rounded to 3 decimals; any other line as it is."""
    if line.startswith(("[", "{")):
        try:
            return json.loads(line, parse_float=lambda text: round(float(text), 3))
        except ValueError:
            pass
    return line


def same_output(shown_text, actual_text):
    """Whether ``actual_text`` is the output ``shown_text`` shows, line by line (see the module)."""
    pattern, actual = _lines(shown_text), _lines(actual_text)

    @functools.lru_cache(maxsize=None)
    def matches(i, j):  # pattern[i:] shows actual[j:]
        if i == len(pattern):
            return j == len(actual)
        if pattern[i].strip() == "...":
            return any(matches(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and shown(pattern[i], actual[j]) and matches(i + 1, j + 1)

    return matches(0, 0)


def _lines(text):
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def python_examples(text):
    """[(code, shown output)] of the page's ``python`` blocks followed by ``prints`` and a ``text`` block."""
    return re.findall(r"```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", text, flags=re.DOTALL)


def run_python(code, name, cwd=REPO):
    """What ``code`` prints when run in this process from ``cwd`` (the repository's root)."""
    printed, before = io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, name, "exec"), {"__name__": "doc_example"})  # noqa: S102  (the repository's own doc)
    finally:
        os.chdir(before)
    return printed.getvalue()


def console_examples(text):
    """[(command, shown output)] of the page's ``console`` blocks: a ``$ `` line (continued by a
    trailing backslash) is a command, the lines after it up to the next command its output."""
    examples = []
    for block in code_blocks(text, "console"):
        lines, output = iter(block.splitlines()), None
        for line in lines:
            if line.startswith("$ "):
                command = line[2:].strip()
                while command.endswith("\\"):
                    command = command[:-1].rstrip() + " " + next(lines).strip()
                output = []
                examples.append((command, output))
            elif output is not None:
                output.append(line)
    return [(command, "\n".join(output)) for command, output in examples]


def input_files(text):
    """{path: content} of the page's blocks whose info string names a file (```` ```yaml file=PATH ````)."""
    return dict(re.findall(r"^```\w* file=(\S+)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL))


def write_input_files(view, text):
    """Write the page's input files into ``view`` (a ``clone_view``); returns their paths there."""
    written = []
    for path, content in input_files(text).items():
        target = Path(view) / path
        assert not target.is_symlink(), f"{path} is a file of the repository: name a new one"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def clone_view(root):
    """``root`` made to look like a clone of the repository: its folders recreated, each file a
    link to the repository's, so that an example run there reads the repository's configs, images
    and shipped model, and what it writes (``output/``, a table beside the shipped weights) stays
    in ``root``. Returns ``root``."""
    root = Path(root)
    for entry in REPO.iterdir():
        if entry.name in NOT_IN_VIEW or entry.name.endswith(".egg-info"):
            continue
        if entry.is_file():
            (root / entry.name).symlink_to(entry)
            continue
        for path in sorted(entry.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            target = root / path.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    return root


def run_command(command, cwd, timeout=300):
    """Run the page's ``python ...`` command in ``cwd``; returns (exit status, its stdout and stderr
    interleaved, as a terminal shows them, less the progress bars)."""
    args = shlex.split(command)
    assert args[0] in ("python", "python3"), f"the doc test runs python commands only, not {command!r}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([sys.executable, *args[1:]], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    return proc.returncode, terminal_text(proc.stdout.decode("utf-8", errors="replace"))


def terminal_text(output):
    """``output`` without its progress bars (how often a bar is redrawn depends on the machine's
    speed), each line as a terminal ends up showing it after a carriage return."""
    output = PROGRESS_BAR.sub("", output)
    return "\n".join(line.rsplit("\r", 1)[-1] for line in output.split("\n"))
