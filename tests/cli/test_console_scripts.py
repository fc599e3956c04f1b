"""ppocr/cli/console_scripts.py: a pip install gives one console script per tool of ``tools/``
(setup.py's ``console_scripts``); each names a function that exists, and ``--help`` works through
it as through the tool, run as the script pip writes (a file whose name is the command)."""
import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from ppocr.cli import console_scripts
from tests.helpers.e2e import REPO

# what pip writes for a console_scripts entry point (pip/_vendor/distlib's script template)
WRAPPER = """import re
import sys
from {module} import {function}
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit({function}())
"""


def setup_scripts():
    """{name: 'module:function'} of setup.py's CONSOLE_SCRIPTS."""
    for node in ast.parse((REPO / "setup.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["CONSOLE_SCRIPTS"]:
            pairs = [entry.split("=") for entry in ast.literal_eval(node.value)]
            return {name.strip(): target.strip() for name, target in pairs}
    raise AssertionError("setup.py has no CONSOLE_SCRIPTS")


def test_one_script_per_tool_each_naming_a_function():
    scripts = setup_scripts()
    tools = {str(p.relative_to(REPO)) for p in (REPO / "tools").rglob("*.py") if not p.name.startswith("_")}
    assert {tool for _, tool in console_scripts.SCRIPTS.values()} == tools
    assert scripts == {name: f"ppocr.cli.console_scripts:{function}"
                       for name, (function, _) in console_scripts.SCRIPTS.items()}
    for target in scripts.values():
        module, function = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[function]), function))


def help_through(name, target, folder):
    module, function = target.split(":")
    script = folder / name
    script.write_text(WRAPPER.format(module=module, function=function))
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, str(script), "--help"], cwd=folder, capture_output=True, text=True,
                          timeout=300, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.subprocess_tools
def test_help_works_through_every_script(tmp_path):
    scripts = setup_scripts()
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(scripts, pool.map(lambda item: help_through(*item, tmp_path), scripts.items())))
    for name, proc in done.items():
        assert proc.returncode == 0, f"{name} --help: exit {proc.returncode}\n{proc.stderr[-2000:]}"
        assert proc.stdout.startswith(f"usage: {name} "), f"{name} --help printed:\n{proc.stdout[:500]}"
    assert "python tools/train.py -c configs/rec/rec_mv3_tps_bilstm_ctc.yml" in done["ppocr-train"].stdout
    assert "--image_dir" in done["ppocr-predict"].stdout and "--rec_model_dir" in done["ppocr-serve"].stdout
