"""ppocr/utils/paddle_banner.py: Paddle's OMP_NUM_THREADS banner is filtered out of its first import,
every other line of stderr passes, and the thread count the tool chose stays in force."""
import io
import os
import subprocess
import sys

import pytest

from ppocr.utils.paddle_banner import LineFilter
from tests.helpers.e2e import REPO

pytestmark = [pytest.mark.subprocess_tools]

BANNER_LINES = ("WARNING: OMP_NUM_THREADS set to 2, not 1. The computation speed will not be optimized if you use "
                "data parallel.\nPLEASE USE OMP_NUM_THREADS WISELY.\n")


def test_only_the_banner_lines_are_dropped():
    out = io.StringIO()
    stream = LineFilter(out)
    stream.write("WARNING: a real problem\n")
    stream.write(BANNER_LINES)
    stream.write("PLEASE USE")  # a line arrives in pieces (print writes the text, then the newline)
    stream.write(" OMP_NUM_THREADS WISELY.")
    stream.write("\n")
    stream.write("unfinished")
    stream.close()
    assert out.getvalue() == "WARNING: a real problem\nunfinished"


def _run(code, tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "2", "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=True)


def test_the_hook_filters_one_import_and_lets_other_lines_through(tmp_path):
    (tmp_path / "noisy").mkdir()
    (tmp_path / "noisy" / "__init__.py").write_text(
        f"import sys\nprint({BANNER_LINES!r}, end='', file=sys.stderr)\nprint('UserWarning: kept', file=sys.stderr)\n")
    proc = _run("import sys\nfrom ppocr.utils.paddle_banner import hide_paddle_banner, _BannerHook\n"
                "hide_paddle_banner('noisy')\nimport noisy\n"
                "print(any(isinstance(f, _BannerHook) for f in sys.meta_path))\n", tmp_path)
    assert proc.stderr == "UserWarning: kept\n" and proc.stdout == "False\n"


def test_paddle_imports_without_its_banner_and_keeps_the_thread_count(tmp_path):
    proc = _run("import os\nfrom ppocr.utils.paddle_banner import hide_paddle_banner\nhide_paddle_banner()\n"
                "import paddle\nprint(os.environ['OMP_NUM_THREADS'], paddle.ones([2]).sum().item())\n", tmp_path)
    assert "OMP_NUM_THREADS" not in proc.stderr, proc.stderr
    assert proc.stdout.split() == ["2", "2.0"]
    unfiltered = _run("import paddle", tmp_path)
    assert "PLEASE USE OMP_NUM_THREADS WISELY" in unfiltered.stderr  # what the hook is for, still printed by Paddle
