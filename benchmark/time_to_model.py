"""Time to a model: train a seed config from scratch for a fixed wall time, then measure it.

    python benchmark/time_to_model.py                                  # 15 minutes, this project
    python benchmark/time_to_model.py --minutes 12 --reference /work/ref/PaddleOCR \\
        --reference_python /work/refvenv/bin/python                     # the reference, same data

The data: ``--train_num`` words (50,000) from ``tools/gen_synth_data.py`` with its default options
in matplotlib's DejaVu fonts, and ``--val_num`` words (600) in STIX General, a family the training
never sees. ``tools/train.py -c CONFIG`` (batch 64, the config's schedule, or ``-o`` overrides of
``--opt``) runs until ``--minutes`` of wall time have passed, then gets SIGTERM (it saves
``latest`` and stops); the saved weights are evaluated on the validation set with the field's
36-character protocol. Prints steps done, images seen and the word accuracy; ``--out`` writes
them as JSON. Run it on a quiet machine: the figure is a speed.
"""
import argparse
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEP = re.compile(r"global_step: (\d+)")


def generate(py, args, fonts):
    sys.path.insert(0, REPO)
    from ppocr.data.lmdb_format import is_lmdb

    data = os.path.abspath(args.data)
    sets = {"training": (args.train_num, 1, "DejaVu*.ttf"), "validation": (args.val_num, 2, "STIXGeneral*.ttf")}
    for part, (num, seed, pattern) in sets.items():
        target = os.path.join(data, part, "synth")
        if not is_lmdb(target):
            subprocess.run([py, "tools/gen_synth_data.py", "--num", str(num), "--seed", str(seed), "--workers", "2",
                            "--fonts", os.path.join(fonts, pattern), "--lmdb", target], cwd=REPO, check=True)
    return data


def train(python, root, config, data, save, minutes, batch, extra):
    """Run train.py until ``minutes`` pass, then SIGTERM; returns (last logged step, seconds)."""
    opts = [f"Train.dataset.data_dir={data}/training", f"Eval.dataset.data_dir={data}/validation",
            f"Global.save_model_dir={save}", "Global.use_gpu=False", f"Train.loader.batch_size_per_card={batch}",
            "Global.eval_batch_step=[0,100000]", "Global.print_batch_step=10", "Global.epoch_num=1000",
            "Train.loader.num_workers=1", *extra]
    start = time.time()
    proc = subprocess.Popen([python, "tools/train.py", "-c", config, "-o", *opts], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    step, lines = 0, []
    deadline = start + minutes * 60
    os.set_blocking(proc.stdout.fileno(), False)
    while proc.poll() is None:
        if time.time() >= deadline:
            proc.send_signal(signal.SIGTERM)
            deadline = float("inf")
        for line in iter(proc.stdout.readline, ""):
            lines.append(line)
            found = STEP.findall(line)
            step = int(found[-1]) if found else step
        time.sleep(1)
    lines.append(proc.stdout.read() or "")
    with open(os.path.join(save, "time_to_model.log"), "w") as f:
        f.write("".join(lines))
    return step, time.time() - start


def evaluate(python, root, config, data, weights):
    out = subprocess.run([python, "tools/eval.py", "-c", config, "-o", f"Global.pretrained_model={weights}",
                          f"Eval.dataset.data_dir={data}/validation", "Global.use_gpu=False"], cwd=root,
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    found = re.findall(r"acc[\"']?: ([0-9.]+)", out.stdout + out.stderr)
    return float(found[-1]) if found else None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    p.add_argument("--minutes", type=float, default=15)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--train_num", type=int, default=50000)
    p.add_argument("--val_num", type=int, default=600)
    p.add_argument("--data", default="train_data/time_to_model")
    p.add_argument("--save", default="output/time_to_model")
    p.add_argument("--opt", nargs="*", default=[], help="extra -o overrides for train.py")
    p.add_argument("--reference", default=None, help="a PaddleOCR checkout to run instead of this project")
    p.add_argument("--reference_python", default=sys.executable)
    p.add_argument("--out", default=None, help="write the figures as JSON")
    args = p.parse_args(argv)
    sys.path.insert(0, REPO)
    from ppocr.synth import matplotlib_font_dir

    data = generate(sys.executable, args, matplotlib_font_dir())
    root = os.path.abspath(args.reference) if args.reference else REPO
    python = args.reference_python if args.reference else sys.executable
    save = os.path.abspath(args.save + ("_reference" if args.reference else ""))
    os.makedirs(save, exist_ok=True)
    step, seconds = train(python, root, args.config, data, save, args.minutes, args.batch, args.opt)
    weights = max(glob.glob(os.path.join(save, "*.pdparams")), key=os.path.getmtime, default=None)
    acc = evaluate(python, root, args.config, data, weights[: -len(".pdparams")]) if weights else None
    result = {"who": "reference" if args.reference else "project", "config": args.config, "minutes": args.minutes,
              "wall_seconds": round(seconds), "steps": step, "images_seen": step * args.batch,
              "weights": weights, "held_out_accuracy": acc}
    print(json.dumps(result))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
    return result


if __name__ == "__main__":
    main()
