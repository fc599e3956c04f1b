"""The whole loop on synthetic data, in about ten minutes on two CPU cores (``make demo``).

    python tools/demo.py                      # what `make demo` runs after installing
    python tools/demo.py --train_num 12800    # a longer fine-tune

The shipped MobileNetV3 STAR-Net (pretrained/rec_mv3_tps_bilstm_ctc_synth) was trained on
words drawn with the DejaVu and Computer Modern fonts. The demo teaches it a font family it has
never seen, STIX General, while keeping the ones it knows: it renders a training set and a
validation set (other seeds) with half of the words in each family, measures the shipped model
on the validation set, fine-tunes it on the training set, evaluates it again (a row per font
family), exports it, and reads the bundled sample images with the exported model. Every step is
a tool of this repository, printed before it runs; its full output goes to output/demo/logs/.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.config import load_config
from ppocr.engine.program import run
from ppocr.errors import UserError
from ppocr.synth import matplotlib_font_dir

CONFIG = "configs/rec/demo_mv3_tps_bilstm_ctc.yml"
DATA = "train_data/demo_synth"
SAVE_DIR = "output/rec/demo_mv3_tps_bilstm_ctc"
INFERENCE = "inference/demo_mv3_tps_bilstm_ctc"
SAMPLES, SAMPLE_LABELS = "doc/imgs_words_en", "doc/imgs_words_en.txt"
SHIPPED = "pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"
# set name -> font glob: the shipped model's training fonts, and a family it never saw
FAMILIES = {"dejavu_cm": "[Dc]*.ttf", "stix_new": "STIXGeneral*.ttf"}
SEEDS = {"training": 11, "validation": 12}  # the shipped model trained on seeds 1 and 3
# eval.py's tables (PREFIX.json) of the shipped and the fine-tuned weights, read by the summary
BEFORE_TABLE, AFTER_TABLE = f"{SAVE_DIR}/shipped_model.eval", f"{SAVE_DIR}/fine_tuned.eval"
# the lines of a tool's output worth showing on the console (the summary prints the predictions)
SHOWN = re.compile(r"epoch: \[|cur metric|best metric|INFO: \S+: acc: |wrote |error|Error|WARNING")


def render_commands(py, fonts_dir, part, total):
    """One gen_synth_data.py command per font family, ``total`` words split evenly, into DATA/part/<family>."""
    commands = []
    for k, (family, pattern) in enumerate(FAMILIES.items()):
        num = total // len(FAMILIES) + (k < total % len(FAMILIES))
        commands.append([py, "tools/gen_synth_data.py", "--num", str(num), "--seed", str(SEEDS[part] + 100 * k),
                         "--workers", "2", "--fonts", os.path.join(fonts_dir, pattern),
                         "--lmdb", f"{DATA}/{part}/{family}"])
    return commands


def steps(py, fonts_dir, args):
    """(title, command) of each stage, the commands a user would type."""
    weights = f"{SAVE_DIR}/best_accuracy"
    renders = [(f"render synthetic {part} words: {family} fonts", command)
               for part, num in (("training", args.train_num), ("validation", args.val_num))
               for family, command in zip(FAMILIES, render_commands(py, fonts_dir, part, num))]
    return renders + [
        ("evaluate the shipped model on the validation set (before fine-tuning)",
         [py, "tools/eval.py", "-c", CONFIG, "-o", f"Global.pretrained_model={SHIPPED}",
          "--save_table", BEFORE_TABLE]),
        ("fine-tune the shipped STAR-Net (MobileNetV3) on the training set",
         [py, "tools/train.py", "-c", CONFIG, "-o", f"Global.epoch_num={args.epochs}",
          f"Global.eval_batch_step=[0,{eval_every(args)}]"]),
        ("evaluate the best checkpoint on the validation set",
         [py, "tools/eval.py", "-c", CONFIG, "-o", f"Global.pretrained_model={weights}",
          "--save_table", AFTER_TABLE]),
        ("export it for paddle.inference",
         [py, "tools/export_model.py", "-c", CONFIG, "-o", f"Global.pretrained_model={weights}",
          f"Global.save_inference_dir={INFERENCE}"]),
        ("read the bundled sample images with the exported model",
         [py, "tools/infer/predict_rec.py", f"--image_dir={SAMPLES}", f"--rec_model_dir={INFERENCE}",
          "--rec_image_shape=3, 32, 100", "--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"]),
    ]


def eval_every(args):
    """Steps between evaluations: two per epoch, the last one at the end of training."""
    batch = int(load_config(CONFIG)["Train"]["loader"]["batch_size_per_card"])
    return max(1, args.train_num // batch // 2)


def run_step(number, title, command, log_dir):
    """Run one stage, echo its progress lines, keep its whole output in a log; returns the output."""
    print(f"\n[{number}] {title}\n$ {shlex.join(command)}", flush=True)
    log_path = os.path.join(log_dir, f"{number}_{os.path.basename(command[1]).replace('.py', '')}.log")
    start = time.perf_counter()
    lines = []
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        env=child_env(),
    ) as proc:
        for line in proc.stdout:
            log.write(line)
            lines.append(line)
            if SHOWN.search(line):
                print("    " + _short(line), flush=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "".join(lines[-15:])
        raise UserError(f"step {number} ({title}) failed with exit code {proc.returncode} after {elapsed:.0f} s; "
                        f"its last lines:\n{tail}\nfull output: {log_path}")
    print(f"    done in {elapsed:.0f} s (log: {log_path})", flush=True)
    return "".join(lines)


def child_env():
    """The tools' environment: quiet warnings, and every core for the model's kernels (paddle
    would otherwise pin itself to one thread on a CPU) unless OMP_NUM_THREADS says otherwise."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.setdefault("OMP_NUM_THREADS", str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                          else os.cpu_count() or 1))
    return env


def _short(line):
    # the timestamp and logger name add nothing on a console; keep the message
    return re.sub(r"^\[[^\]]*\] ppocr (INFO|WARNING): ", "", line.rstrip())[:160]


def read_labels(path):
    with open(path, encoding="utf-8") as f:
        pairs = (line.rstrip("\n").split("\t", 1) for line in f if line.strip())
        return {os.path.basename(name): label for name, label in pairs}


def read_table(prefix):
    """{set name: scores} plus 'total' from the JSON table eval.py wrote."""
    with open(prefix + ".json", encoding="utf-8") as f:
        table = json.load(f)
    return {**{s["name"]: s for s in table["sets"]}, "total": table["total_sample_weighted"]}


def summarise(predict_output, started):
    before, after = read_table(BEFORE_TABLE), read_table(AFTER_TABLE)
    labels = read_labels(SAMPLE_LABELS)
    rows = re.findall(r"Predicts of (.+?):\('(.*?)', ([0-9.e-]+)\)", predict_output)
    print("\n" + "=" * 72)
    print("All data in this demo are SYNTHETIC: word images rendered by tools/gen_synth_data.py.")
    print(f"Validation set: {after['total']['samples']} synthetic words from seeds neither the shipped model "
          f"nor the fine-tuning saw;\nhalf in the shipped model's training fonts (dejavu_cm), half in STIX "
          f"General, a family it never saw (stix_new).")
    print(f"    {'words read exactly':<26} {'shipped model':>14} {'after fine-tuning':>18}")
    for name in [*FAMILIES, "total"]:
        print(f"    {name:<26} {100 * before[name]['acc']:>13.1f}% {100 * after[name]['acc']:>17.1f}%")
    print(f"Validation accuracy: {100 * after['total']['acc']:.1f}%")
    print(f"Predictions of the exported model on {SAMPLES}/ (synthetic words, training fonts, seed 4):")
    right = 0
    for path, text, score in rows:
        truth = labels.get(os.path.basename(path), "?")
        right += text == truth
        print(f"    {os.path.basename(path):<14} {text:<14} score {float(score):.3f}  "
              f"{'ok' if text == truth else 'WRONG, label ' + truth}")
    print(f"    {right}/{len(rows)} read exactly")
    print(f"Training curves: {SAVE_DIR}/train_curves.png; exported model: {INFERENCE}/")
    print(f"Total time: {(time.perf_counter() - started) / 60:.1f} min")
    print("=" * 72)
    return after["total"]["acc"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train_num", type=int, default=6400, help="synthetic training images")
    parser.add_argument("--val_num", type=int, default=600, help="synthetic validation images")
    parser.add_argument("--epochs", type=int, default=1, help="fine-tuning epochs over the training images")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)  # the config's relative paths (data, output, pretrained weights) are the repository's
    if not os.path.isfile("pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy.pdparams"):
        raise UserError("the shipped weights pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy.pdparams "
                        "are missing: is this a complete checkout of the repository?")
    fonts_dir = matplotlib_font_dir()
    print("This demo trains and tests on SYNTHETIC data only: word images rendered from fonts,\n"
          "not photographs. Its accuracy says how well the loop works, not how well the model reads real scenes.")
    for folder in (DATA, SAVE_DIR, INFERENCE):
        if os.path.isdir(folder):
            shutil.rmtree(folder)  # a rerun starts from the same state as the first run
    log_dir = os.path.join("output", "demo", "logs")
    os.makedirs(log_dir, exist_ok=True)
    outputs = [run_step(i, title, command, log_dir)
               for i, (title, command) in enumerate(steps(sys.executable, fonts_dir, args), start=1)]
    acc = summarise(outputs[-1], started)
    if acc < 0.8:
        print(f"note: validation accuracy {100 * acc:.1f}% is below the 80% this demo usually reaches")
    return acc


if __name__ == "__main__":
    run(main)
