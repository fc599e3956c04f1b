"""What ``tools/demo.py`` (``make demo``) needs to run the repository's tools one after another as
a user would: each step printed as a command line, its progress lines echoed, its whole output
kept in a log, a failure reported with its last lines; and the figures read back from the
tools' own outputs (eval.py's JSON tables, predict_rec's lines).

Example::

    out = run_step(1, "render words", ["python", "tools/gen_synth_data.py", "--num", "10", "--out_dir", "x"], "logs")
"""
import json
import os
import re
import shlex
import subprocess
import time

from ppocr.config import load_config
from ppocr.errors import UserError  # noqa: F401  (the demo's one-line errors)
from ppocr.synth import matplotlib_font_dir as font_dir  # noqa: F401  (the fonts every install has)

# the lines of a tool's output worth showing on the console
SHOWN = re.compile(r"epoch: \[|cur metric|best metric|INFO: \S+: acc: |wrote |error|Error|WARNING")
PREDICTS = re.compile(r"Predicts of (.+?):\('(.*?)', ([0-9.e-]+)\)")


def run_step(number, title, command, log_dir):
    """Run one tool, echo its progress lines, keep its output in ``log_dir``; returns the output."""
    print(f"\n[{number}] {title}\n$ {shlex.join(command)}", flush=True)
    log_path = os.path.join(log_dir, f"{number}_{os.path.basename(command[1]).replace('.py', '')}.log")
    start, lines = time.perf_counter(), []
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, env=env) as proc:
        for line in proc.stdout:
            log.write(line)
            lines.append(line)
            if SHOWN.search(line):
                # the timestamp and logger name add nothing on a console
                print("    " + re.sub(r"^\[[^\]]*\] ppocr (INFO|WARNING): ", "", line.rstrip())[:160], flush=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise UserError(f"step {number} ({title}) failed with exit code {proc.returncode} after {elapsed:.0f} s; "
                        f"its last lines:\n{''.join(lines[-15:])}\nfull output: {log_path}")
    print(f"    done in {elapsed:.0f} s (log: {log_path})", flush=True)
    return "".join(lines)


def steps_per_evaluation(config_path, train_num):
    """Two evaluations per epoch of ``train_num`` images, the last at the end of the epoch."""
    batch = int(load_config(config_path)["Train"]["loader"]["batch_size_per_card"])
    return max(1, train_num // batch // 2)


def read_table(prefix):
    """{set name: scores} plus 'total' from the JSON table eval.py wrote."""
    with open(prefix + ".json", encoding="utf-8") as f:
        table = json.load(f)
    return {**{s["name"]: s for s in table["sets"]}, "total": table["total_sample_weighted"]}


def labels_of(path):
    """{file name: label} of a ``name<TAB>label`` file."""
    with open(path, encoding="utf-8") as f:
        pairs = (line.rstrip("\n").split("\t", 1) for line in f if line.strip())
        return {os.path.basename(name): label for name, label in pairs}


def predictions_of(output):
    """[(path, text, score)] of predict_rec's ``Predicts of PATH:('TEXT', SCORE)`` lines."""
    return [(path, text, float(score)) for path, text, score in PREDICTS.findall(output)]
