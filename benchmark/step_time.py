"""Seconds per training step and per inference batch of each model on this machine's CPU.

    python benchmark/step_time.py                       # all configs, 1 thread and every core
    python benchmark/step_time.py --configs configs/rec/demo_mv3_tps_bilstm_ctc.yml --threads 2

Each measurement runs in its own process (OMP_NUM_THREADS is read when paddle loads): a
training step is forward + loss + backward + Adam on a random batch of 16 images (after 3
warm-up steps, the mean of the next N); inference is the exported graph through
``paddle.inference`` with oneDNN on, a batch of 6 (as ``predict_rec.py``). Prints a markdown
table; doc/benchmark.md keeps the last one.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = ["configs/rec/demo_mv3_tps_bilstm_ctc.yml", "configs/rec/rec_mv3_tps_bilstm_ctc.yml",
           "configs/rec/rec_r34_vd_tps_bilstm_ctc.yml", "configs/rec/rec_r32_gaspin_bilstm_att.yml"]


def measure(config_path, steps, batch):
    """(seconds per training step, seconds per inference batch of 6) in this process."""
    sys.path.insert(0, REPO)
    from ppocr.utils.cpu import prefer_fast_mkl
    prefer_fast_mkl()  # as every tool does at start-up
    import numpy as np
    import paddle

    from ppocr.config import merge_config
    from ppocr.export.exporter import export
    from ppocr.inference.predictor import TextRecognizer
    from ppocr.losses import build_loss
    from ppocr.trained_model.from_config import build_charset, build_model

    paddle.set_device("cpu")
    config = merge_config(os.path.join(REPO, config_path), ["Global.pretrained_model="])  # random weights
    charset = build_charset(config)
    model = build_model(config, charset)
    loss_fn = build_loss(config, charset)
    optimizer = paddle.optimizer.Adam(parameters=model.parameters())
    shape = [batch] + list(model_input_shape(config))
    images = paddle.rand(shape)
    length = paddle.full([batch], 5, dtype="int64")
    label = paddle.randint(2, charset.num_classes, [batch, charset.label_size])
    model.train()
    timings = []
    for i in range(3 + steps):
        start = time.perf_counter()
        preds = model(images, targets={"label": label, "length": length})
        loss = loss_fn(preds, {"label": label, "length": length})["loss"]
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        if i >= 3:
            timings.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        recognizer = TextRecognizer(export(config, os.path.join(tmp, "inference")), batch_size=6)
        batch6 = np.random.default_rng(0).random((6,) + tuple(shape[1:]), dtype=np.float32)
        recognizer.backend.run(batch6)
        start = time.perf_counter()
        for _ in range(steps):
            recognizer.backend.run(batch6)
        infer = (time.perf_counter() - start) / steps
    return sum(timings) / len(timings), infer


def model_input_shape(config):
    """[C, H, W] of the config's inference preprocessing (as predict_rec feeds the model)."""
    from ppocr.data.preprocess import Preprocessor, image_transforms

    return Preprocessor(image_transforms(config)).output_shape


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", nargs="+", default=CONFIGS)
    parser.add_argument("--threads", nargs="+", type=int, default=[1, os.cpu_count() or 1])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.steps, args.batch)))
        return
    print(f"| config | threads | train step, batch {args.batch} (s) | inference, batch 6 (s) |")
    print("| --- | --- | --- | --- |")
    for config in args.configs:
        for threads in sorted(set(args.threads)):
            env = {**os.environ, "OMP_NUM_THREADS": str(threads), "PYTHONWARNINGS": "ignore"}
            proc = subprocess.run([sys.executable, __file__, "--child", config, "--steps", str(args.steps),
                                   "--batch", str(args.batch)], env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"| {config} | {threads} | failed: {proc.stderr.strip().splitlines()[-1]} | |")
                continue
            train, infer = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"| {os.path.basename(config)} | {threads} | {train:.3f} | {infer:.4f} |", flush=True)


if __name__ == "__main__":
    main()
