"""Helpers for end-to-end tests: run the real command-line tools in subprocesses."""
import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def library_users():
    """The Python files of the library, the benchmarks and the doc's picture script: the code whose
    reading of a config or a model folder must go through the library's one reader of it."""
    return [*sorted((REPO / "ppocr").rglob("*.py")), *sorted((REPO / "benchmark").glob("*.py")),
            REPO / "doc" / "make_pictures.py"]


def run_tool(*args, cwd=REPO, timeout=900, expect=0, env=None):
    """``python ARGS...`` in ``cwd``; asserts the exit code and returns the CompletedProcess."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "FLAGS_call_stack_level": "0", **(env or {})}
    proc = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=full_env, stdin=subprocess.DEVNULL)
    if expect is not None and proc.returncode != expect:
        raise AssertionError(f"exit {proc.returncode} (expected {expect}) for {args}\n"
                             f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def infer_rec_results(stdout):
    """{path: text} from infer_rec's ``infer_img: PATH`` / ``result: TEXT<TAB>SCORE`` lines."""
    out, path = {}, None
    for line in stdout.splitlines():
        if line.startswith("infer_img: "):
            path = line[len("infer_img: "):]
        elif line.startswith("result: ") and path is not None:
            out[path] = line[len("result: "):].rsplit("\t", 1)[0]
    return out


def predict_rec_results(stdout):
    """{path: text} from predict_rec's ``Predicts of PATH:('TEXT', SCORE)`` lines."""
    out = {}
    for m in re.finditer(r"^Predicts of (.*?):(\(.*\))$", stdout, flags=re.M):
        out[m.group(1)] = ast.literal_eval(m.group(2))[0]
    return out


def read_log(save_dir, kind):
    lines = (Path(save_dir) / "train_log.jsonl").read_text().splitlines()
    return [r for r in map(json.loads, lines) if r["kind"] == kind]
