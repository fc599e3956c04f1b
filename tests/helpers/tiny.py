"""Tiny runs of the STAR-Net (MobileNetV3) seed config for the reliability tests: 16 generated
training words in batches of 4 (4 steps an epoch), 6 evaluation words in batches of 4, one
process, no loader workers, fixed seeds, so that every run of the same command takes the same
steps with the same numbers."""
import ast
import json
import re
from pathlib import Path

from ppocr.synth import generate

CONFIG = "configs/rec/rec_mv3_tps_bilstm_ctc.yml"
RESUMED = re.compile(r"resumed from (\S+) at epoch (\d+) \(batch (\d+) of the epoch\), global step (\d+), "
                     r"learning rate (\S+), best (.*)$", flags=re.MULTILINE)


def make_data(root, train=16, val=6):
    root = Path(root)
    generate(train, seed=21, lmdb_dir=str(root / "train"))
    generate(val, seed=22, lmdb_dir=str(root / "val"))
    return root


def tiny_opts(data_root, save_dir, **extra):
    """``-o`` pairs of a tiny run: 3 epochs of 4 steps, evaluation every 3 steps, every step logged
    unsmoothed, a warm-up then a cosine learning rate (so the rate differs at every step), two CPU
    model replicas."""
    opts = {
        "Global.use_gpu": False, "Global.save_model_dir": save_dir, "Global.epoch_num": 3,
        "Global.print_batch_step": 1, "Global.log_smooth_window": 1, "Global.eval_batch_step": "[0,3]",
        "Global.save_epoch_step": 3, "Train.dataset.data_dir": Path(data_root) / "train",
        "Eval.dataset.data_dir": Path(data_root) / "val", "Train.loader.batch_size_per_card": 4,
        "Train.loader.num_workers": 0, "Eval.loader.batch_size_per_card": 4, "Eval.loader.num_workers": 0,
        "Optimizer.lr.name": "Cosine", "Optimizer.lr.warmup_epoch": 1,
        # two model replicas, as `auto` gives on a two-core machine (the tools here inherit pytest's
        # OMP_NUM_THREADS=1, which Paddle's import sets, and would otherwise train one)
        "Global.cpu_replicas": 2,
    }
    opts.update({k.replace("__", "."): v for k, v in extra.items()})
    return [f"{k}={v}" for k, v in opts.items()]


def resumed_line(output):
    """(epoch, batch in the epoch, global step, learning rate, best dict) of a run's resume log line."""
    m = RESUMED.search(output)
    assert m, "no 'resumed from' line in:\n" + output[-3000:]
    best = m.group(6).strip()
    return (int(m.group(2)), int(m.group(3)), int(m.group(4)), float(m.group(5)),
            {} if best == "none" else ast.literal_eval(best))


def train_records(save_dir):
    """{global step: the last train record logged for it} (a resumed run re-logs replayed steps)."""
    out = {}
    for line in (Path(save_dir) / "train_log.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["kind"] == "train":
            out[record["global_step"]] = record
    return out


def word_png(text, width=100, height=32):
    """A black-on-white PNG of ``text``: enough of an image for the pipeline."""
    import cv2
    import numpy as np

    img = np.full((height, width, 3), 255, dtype=np.uint8)
    cv2.putText(img, text, org=(2, height - 8), fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=0.7,
                color=(0, 0, 0), thickness=2)
    return cv2.imencode(".png", img)[1].tobytes()
