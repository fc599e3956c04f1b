"""ppocr/cli/crash_guard.py: a native crash of the guarded child ends the tool with one line and
exit status 128 + the signal; an ordinary exit status passes through; the parent loads no Paddle."""
import subprocess
import sys
import textwrap

import pytest

from tests.helpers.e2e import REPO

pytestmark = [pytest.mark.subprocess_tools]

TOOL = textwrap.dedent('''
    import os, signal, sys
    sys.path.insert(0, {repo!r})
    from ppocr.cli.crash_guard import run_guarded

    def main():
        what = os.environ.get("WHAT")
        if what == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        if what == "usage":
            from ppocr.errors import UserError
            raise UserError("a one-line mistake")
        print("ran in the child")

    if __name__ == "__main__":
        if os.environ.get("PPOCR_GUARDED_CHILD") != "1":
            assert "paddle" not in sys.modules  # the watching parent stays light
        run_guarded("__main__:main", doing="the tool")
''')


def _run(tmp_path, what):
    script = tmp_path / "tool.py"
    script.write_text(TOOL.format(repo=str(REPO)))
    return subprocess.run([sys.executable, str(script)], env={"WHAT": what, "PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "ignore"},
                          capture_output=True, text=True, timeout=120)


def test_a_fatal_signal_becomes_one_line_and_128_plus_the_signal(tmp_path):
    proc = _run(tmp_path, "segv")
    assert proc.returncode == 128 + 11
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: the tool crashed with SIGSEGV inside native code")
    assert "--enable_mkldnn=False" in lines[0] and "--cpu_threads=1" in lines[0]


def test_exit_status_and_output_of_the_child_pass_through(tmp_path):
    ok = _run(tmp_path, "")
    assert ok.returncode == 0 and ok.stdout.strip() == "ran in the child"
    mistake = _run(tmp_path, "usage")
    assert mistake.returncode == 2 and mistake.stderr.strip() == "error: a one-line mistake"
