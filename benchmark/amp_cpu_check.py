"""Does Paddle train these models in bfloat16 on a CPU? The evidence behind ``Global.use_amp``'s CPU
notice (ppocr/training/amp.py): for each of the three configs' models, a few training steps in
float32, then with the project's mixed-precision path (``MixedPrecision``: Paddle's ``auto_cast``,
O2's ``decorate``, the gradient scaler) at O1 and O2 in bfloat16, forced on although the device is
a CPU; then which of the models' operators have a bfloat16 CPU kernel in this Paddle.

    python benchmark/amp_cpu_check.py            # 1-3 minutes on 2 cores
    python benchmark/amp_cpu_check.py --steps 5 --batch 8

Prints one markdown table per part. If a Paddle release starts running AMP on the CPU, the
table shows bfloat16 weights or predictions and losses that differ from float32's, and the notice
must go.
"""
import argparse
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

CONFIGS = ["rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att"]
# the models' operators, forward and backward, and the optimizer's
OPERATORS = ["conv2d", "depthwise_conv2d", "batch_norm", "matmul", "rnn", "grid_sample", "warpctc",
             "softmax", "relu", "hardswish", "pool2d", "adam", "sgd"]


def run(stem, level, steps, batch):
    """(predictions' dtype, the weights' dtypes, the losses) of ``steps`` steps; level None: float32."""
    import paddle

    from ppocr.config import load_config
    from ppocr.losses import build_loss
    from ppocr.trained_model.from_config import build_charset, build_model
    from ppocr.training import train_step as ts
    from ppocr.training.amp import MixedPrecision

    config = load_config(os.path.join("configs", "rec", f"{stem}.yml"))
    paddle.seed(1)
    charset = build_charset(config)
    model, loss_fn = build_model(config, charset), build_loss(config, charset)
    optimizer = paddle.optimizer.Adam(learning_rate=1e-3, parameters=model.parameters())
    amp = None if level is None else MixedPrecision(level, "bfloat16")
    if amp is not None:
        model, optimizer = amp.decorate(model, optimizer)
    model.train()
    step = ts.build_train_step(model, optimizer, 1e-3, loss_fn, amp=amp)
    rng = np.random.default_rng(0)
    shape = [1, 32, 100] if "gaspin" in stem else [3, 32, 100]
    data = {"image": paddle.to_tensor(rng.uniform(-1, 1, [batch, *shape]).astype("float32")),
            "label": paddle.to_tensor(rng.integers(2, 30, (batch, charset.label_size)).astype("int64")),
            "length": paddle.to_tensor(np.full(batch, 5, dtype="int64")), "text": ["x"] * batch}
    seen, losses = set(), []
    forward = model.forward

    def watched(*args, **kwargs):  # the model's own output dtype, before the step casts it to float32
        out = forward(*args, **kwargs)
        seen.add(str(out.dtype).replace("paddle.", ""))
        return out

    model.forward = watched
    for _ in range(steps):
        loss, _ = step.step(data)
        losses.append(float(loss))
    weights = sorted({str(p.dtype).replace("paddle.", "") for p in model.parameters()})
    return ", ".join(sorted(seen)), ", ".join(weights), losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch", type=int, default=4)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # Paddle's own 'makes no effect' warnings: the table says it
    import paddle

    paddle.set_device("cpu")
    print(f"Paddle {paddle.__version__}, device {paddle.get_device()}\n")
    print("| config | run | model output | weights | losses | same as float32 |\n| --- | --- | --- | --- | --- | --- |")
    for stem in CONFIGS:
        base = None
        for level in (None, "O1", "O2"):
            output, weights, losses = run(stem, level, args.steps, args.batch)
            base = losses if level is None else base
            name = "float32" if level is None else f"{level} bfloat16"
            shown = ", ".join(f"{x:.4f}" for x in losses)
            print(f"| {stem} | {name} | {output} | {weights} | {shown} | {'yes' if losses == base else 'no'} |")
    kernels = paddle.base.core._get_all_register_op_kernels("phi")
    print("\n| operator | bfloat16 CPU kernel |\n| --- | --- |")
    for op in OPERATORS:
        cpu = [k for k in kernels.get(op, []) if "cpu" in k.lower() and "bfloat16" in k]
        kind = "none" if not cpu else ("oneDNN layout only" if all("ONEDNN" in k for k in cpu) else "yes")
        print(f"| {op} | {kind} |")


if __name__ == "__main__":
    main()
