"""``tools/demo.py`` (``make demo``): the plan of the demo, and what it needs to run the repository's tools one after another as
a user would: each step printed as a command line, its progress lines echoed, its whole output
kept in a log, a failure reported with its last lines; and the figures read back from the
tools' own outputs (eval.py's JSON tables) or, for the exported model's readings of the samples,
from the pipeline predict_rec runs, called in this process.

Example::

    out = run_step(1, "render words", ["python", "tools/gen_synth_data.py", "--num", "10", "--out_dir", "x"], "logs")
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

from ppocr.config import load_config
from ppocr.errors import UserError
from ppocr.synth import matplotlib_font_dir as font_dir

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# the lines of a tool's output worth showing on the console
SHOWN = re.compile(r"epoch: \[|cur metric|best metric|INFO: \S+: acc: |wrote |error|Error|WARNING")


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


def readings_of(model_dir, folder):
    """[(path, text, score)] of the images of ``folder`` read with the exported model in ``model_dir``
    through the pipeline predict_rec runs (its default backend, Paddle inference), in this process."""
    from ppocr.data.preprocess import list_images
    from ppocr.inference.pipeline import Skipped
    from ppocr.inference.predictor import TextRecognizer

    paths = list_images(folder)
    readings = TextRecognizer(model_dir, backend="paddle")(paths)
    return [(path, *reading) for path, reading in zip(paths, readings) if not isinstance(reading, Skipped)]


DESCRIPTION = """The whole loop on synthetic words, in three to five minutes on two CPU cores (``make demo``).

    python tools/demo.py                      # what `make demo` runs after installing
    python tools/demo.py --train_num 12800    # a longer fine-tune

The shipped MobileNetV3 STAR-Net (pretrained/rec_mv3_tps_bilstm_ctc_synth, doc/pretrained.md)
never saw the STIX General typeface. The demo renders a validation set in it (the same words in
lower case, Title case and UPPER case), measures the shipped model there, fine-tunes it on STIX
and DejaVu words (a family it knows, so it keeps it), measures again, exports the model and reads
the bundled sample images with it. Every step is a tool of this repository, printed before it
runs as a user would type it; its whole output goes to output/demo/logs/.
"""
CONFIG = "configs/rec/demo_mv3_tps_bilstm_ctc.yml"
DATA, SAVE_DIR, INFERENCE = "train_data/demo_synth", "output/rec/demo_mv3_tps_bilstm_ctc", "inference/demo_mv3_tps_bilstm_ctc"
SAMPLES, SAMPLE_LABELS = "doc/imgs_words_en", "doc/imgs_words_en.txt"
SHIPPED = "pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"
TRAIN_FONTS = {"stix": "STIXGeneral*.ttf", "dejavu": "DejaVu*.ttf"}  # set name -> font glob
SEEDS = {"training": 11, "validation": 12}  # the shipped model's data used seeds 1 to 10
CASES = ("lower", "title", "upper")
BEFORE, AFTER = f"{SAVE_DIR}/shipped_model.eval", f"{SAVE_DIR}/fine_tuned.eval"  # eval.py's tables


def steps(py, fonts, args):
    """(title, command) of each stage, in order."""
    tuned = f"{SAVE_DIR}/best_accuracy"
    render = [py, "tools/gen_synth_data.py", "--workers", "2"]
    out = [("render the validation words in STIX General, once per case",
            render + ["--num", str(args.val_num // len(CASES)), "--seed", str(SEEDS["validation"]), "--per_case",
                      "--fonts", os.path.join(fonts, TRAIN_FONTS["stix"]), "--lmdb", f"{DATA}/validation"])]
    for k, (name, pattern) in enumerate(TRAIN_FONTS.items()):
        out.append((f"render training words in {name} fonts",
                    render + ["--num", str(args.train_num // len(TRAIN_FONTS)), "--seed", str(SEEDS["training"] + 100 * k),
                              "--fonts", os.path.join(fonts, pattern), "--lmdb", f"{DATA}/training/{name}"]))
    every = steps_per_evaluation(CONFIG, args.train_num)
    return out + [
        ("evaluate the shipped model (before fine-tuning)",
         [py, "tools/eval.py", "-c", CONFIG, "-o", f"Global.pretrained_model={SHIPPED}", "--save_table", BEFORE]),
        ("fine-tune it", [py, "tools/train.py", "-c", CONFIG, "-o", f"Global.epoch_num={args.epochs}",
                          f"Global.eval_batch_step=[0,{every}]"]),
        ("evaluate the best checkpoint",
         [py, "tools/eval.py", "-c", CONFIG, "-o", f"Global.pretrained_model={tuned}", "--save_table", AFTER]),
        ("export it (Paddle inference and ONNX)",
         [py, "tools/export_model.py", "-c", CONFIG, "-o", f"Global.pretrained_model={tuned}",
          f"Global.save_inference_dir={INFERENCE}", "--onnx"]),
        ("read the bundled sample images with the exported model",
         [py, "tools/infer/predict_rec.py", f"--image_dir={SAMPLES}", f"--rec_model_dir={INFERENCE}",
          "--rec_image_shape=3, 32, 100", "--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"]),
    ]


def summarise(started):
    before, after = read_table(BEFORE), read_table(AFTER)
    labels = labels_of(SAMPLE_LABELS)
    print("\n" + "=" * 72)
    print("All data in this demo are SYNTHETIC: word images rendered by tools/gen_synth_data.py.")
    print(f"Validation: {after['total']['samples']} words in STIX General (a typeface the shipped model never "
          "saw),\nthe same words in each case; fine-tuning saw other words (another seed).")
    print(f"    {'words read exactly':<24} {'shipped model':>14} {'after fine-tuning':>18}")
    for name in (*CASES, "total"):
        print(f"    {name:<24} {100 * before[name]['acc']:>13.1f}% {100 * after[name]['acc']:>17.1f}%")
    print(f"Validation accuracy: {100 * after['total']['acc']:.1f}%")
    print(f"The exported model on {SAMPLES}/ (case and punctuation ignored, the 36-character protocol):")
    rows = readings_of(INFERENCE, SAMPLES)
    right = 0
    for path, text, score in rows:
        truth = labels.get(os.path.basename(path), "?")
        ok = text == "".join(c for c in truth.lower() if c.isalnum())
        right += ok
        print(f"    {os.path.basename(path):<14} {truth:<14} read {text:<14} {score:.3f}  {'ok' if ok else 'WRONG'}")
    print(f"    {right}/{len(rows)} read exactly")
    print(f"Training curves: {SAVE_DIR}/train_curves.png; exported model (with inference.onnx): {INFERENCE}/")
    print(f"Total time: {(time.perf_counter() - started) / 60:.1f} min\n" + "=" * 72)
    return after["total"]["acc"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train_num", type=int, default=6400, help="synthetic training images")
    parser.add_argument("--val_num", type=int, default=600, help="synthetic validation images (all cases)")
    parser.add_argument("--epochs", type=int, default=1, help="fine-tuning epochs over the training images")
    return parser.parse_args(argv)


def main(argv=None):
    """``tools/demo.py`` (``ppocr-demo``): every step of the loop, then the summary; returns the
    validation accuracy."""
    args = parse_args(argv)
    started = time.perf_counter()
    os.chdir(REPO_ROOT)  # the config's paths are the repository's
    if not os.path.isfile(SHIPPED + ".pdparams"):
        raise UserError(f"the shipped weights {SHIPPED}.pdparams are missing: is this a complete checkout?")
    print("This demo trains and tests on SYNTHETIC data only: word images rendered from fonts, not\n"
          "photographs. Its accuracy says how well the loop works, not how well the model reads real scenes.")
    for folder in (DATA, SAVE_DIR, INFERENCE):
        shutil.rmtree(folder, ignore_errors=True)  # a rerun starts from the same state as the first run
    log_dir = os.path.join("output", "demo", "logs")
    os.makedirs(log_dir, exist_ok=True)
    for number, (title, command) in enumerate(steps(sys.executable, font_dir(), args), start=1):
        run_step(number, title, command, log_dir)
    return summarise(started)
