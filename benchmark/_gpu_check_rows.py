"""gpu_check.py's verdicts: the children's results (``_gpu_check_child.py``) as table rows, each
``{check, config, run, status, project, reference, notes}`` with ``status`` PASS, FAIL or SKIP and
the reason in ``notes``. What a row demands is said where it is decided, here.
"""
import math
import re

CPU_AMP_NOTICE = "Global.use_amp:"  # the first words of ppocr/training/amp.py's CPU notice
GPU_FLAG_WARNING = "use_gpu:"  # the first words of the predictor's warning where there is no GPU
LAUNCH_DONE = re.compile(r"rank (\d) of 2 finished: (\d+) steps this run")
# what NCCL says when two processes of one job take the same device
ONE_GPU_REFUSED = re.compile(r"Duplicate GPU detected|ncclInvalidUsage|invalid usage", re.I)


def row(check, config, run, status, project="", reference="", notes=""):
    return {"check": check, "config": config, "run": run, "status": status, "project": project,
            "reference": reference, "notes": notes}


def _mean(values):
    return sum(values) / len(values)


def loss_verdict(losses):
    """None when every loss is finite and the last tenth of the steps (at least one) averages lower
    than the first tenth; else the reason."""
    if not losses:
        return "no loss recorded"
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in losses):
        bad = next(v for v in losses if not (isinstance(v, (int, float)) and math.isfinite(v)))
        return f"a loss is not finite ({bad})"
    k = max(1, len(losses) // 10)
    first, last = _mean(losses[:k]), _mean(losses[-k:])
    return None if last < first else f"the loss did not fall ({first:.4g} over the first {k} steps, {last:.4g} over the last)"


def figures(result):
    """images/s, the loss from the first to the last steps, the peak GPU memory: one cell."""
    if not result:
        return "–"
    if "error" in result:
        return f"fails: {result['error'][:160]}"
    losses = [v for v in result["losses"] if isinstance(v, (int, float))]
    k = max(1, len(losses) // 10)
    memory = result.get("peak_gpu_reserved_mib")
    loss = f"loss {_mean(losses[:k]):.3g} → {_mean(losses[-k:]):.3g}" if losses else "no loss"
    return (f"{result['images_per_s']:.3g} img/s, {loss}, "
            f"{'no GPU' if memory is None else f'{memory} MiB'}")


def train_verdict(result, level, dry_run):
    """(status, notes) of one training run."""
    if not result:
        return "FAIL", "no result (see the child's log)"
    if "error" in result:
        return "FAIL", result["error"]
    problem = loss_verdict(result["losses"])
    if problem:
        return "FAIL", problem
    notices = [w for w in result["warnings"] if w.startswith(CPU_AMP_NOTICE)]
    weights = ", ".join(result["weights"])
    if dry_run:
        if result["device"] != "cpu":
            return "FAIL", f"a dry run trained on {result['device']}"
        if level != "float32" and len(notices) != 1:
            return "FAIL", f"{len(notices)} notices that AMP trains in float32 on the CPU, expected one"
        return "PASS", f"weights {weights}" + ("; the CPU notice: trains in float32" if notices else "")
    if not result["device"].startswith("gpu"):
        return "FAIL", f"trained on {result['device']}, not the GPU"
    if notices:
        return "FAIL", "the CPU notice on a GPU run: " + notices[0][:120]
    if level == "O2" and "float16" not in result["weights"]:
        return "FAIL", f"O2 left the weights in {weights}: expected float16 (batch norms float32)"
    return "PASS", f"weights {weights}"


def train_rows(name, project, reference, precisions, dry_run):
    parts, error = project
    rows = []
    for level in precisions:
        result = parts.get(f"train {level}") or {"error": error}
        status, notes = train_verdict(result, level, dry_run)
        ref = reference[0].get(f"train {level}") or {"error": reference[1]} if reference else None
        ref_note = f"; reference: {loss_verdict(ref['losses'])}" if ref and "losses" in ref and loss_verdict(ref["losses"]) else ""
        run = "float32" if level == "float32" else f"AMP {level} float16"
        rows.append(row("train", name, run, status, figures(result), figures(ref), notes + ref_note))
    return rows


def deploy_rows(name, parts, error, predicts, weights_label, dry_run):
    """The export, infer_rec and predict_rec rows of one config."""
    export = parts.get("export") or {"error": error}
    if "error" in export:
        export_row = row("export", name, weights_label, "FAIL", notes=export["error"])
    elif export["checkpoint_dtypes"] != ["float32"]:
        export_row = row("export", name, weights_label, "FAIL",
                         notes=f"weights saved as {', '.join(export['checkpoint_dtypes'])}, expected float32")
    else:
        export_row = row("export", name, weights_label, "PASS", f"{export['seconds']} s",
                         notes=", ".join(export["files"]))
    infer = parts.get("infer_rec") or {"error": error}
    expected = infer.get("strings") or {}
    words = sum(1 for text in expected.values() if text)
    infer_row = (row("infer_rec", name, "dygraph, float32", "FAIL", notes=infer["error"]) if "error" in infer else
                 row("infer_rec", name, "dygraph, float32", "PASS" if expected else "FAIL",
                     f"{len(expected)} images, {words} non-empty strings"))
    rows = [export_row, infer_row]
    for label, _, skip in predicts:
        if skip is not None:
            rows.append(row("predict_rec", name, label, "SKIP", notes=skip))
            continue
        rows.append(predict_row(name, label, parts.get(label) or {"error": error}, expected, dry_run))
    return rows


def predict_row(name, label, result, expected, dry_run):
    if "error" in result:
        return row("predict_rec", name, label, "FAIL", notes=result["error"])
    strings = result["strings"]
    same = sum(strings.get(image) == text for image, text in expected.items())
    cell = f"{same}/{len(expected)} strings = infer_rec's"
    device = result["device"]
    if not expected or same != len(expected) or len(strings) != len(expected):
        differ = [f"{image}: {strings.get(image)!r} / {text!r}" for image, text in expected.items()
                  if strings.get(image) != text]
        return row("predict_rec", name, label, "FAIL", cell, notes="differ (predict_rec / infer_rec): " + "; ".join(differ[:4]))
    warned = [w for w in result["warnings"] if w.startswith(GPU_FLAG_WARNING)]
    if dry_run:
        if device not in ("cpu", "CPUExecutionProvider") or len(warned) != 1:
            return row("predict_rec", name, label, "FAIL", cell,
                       notes=f"on {device} with {len(warned)} warnings about the GPU flags, expected the CPU and one")
        return row("predict_rec", name, label, "PASS", cell, notes=f"on {device}, one warning: {warned[0][:140]}")
    wanted = {"TensorRT fp16": "TensorRT", "onnxruntime CUDA": "CUDAExecutionProvider"}.get(label, "gpu:")
    if wanted not in device or warned:
        return row("predict_rec", name, label, "FAIL", cell, notes=f"ran on {device}" + (f": {warned[0]}" if warned else ""))
    return row("predict_rec", name, label, "PASS", cell, notes=f"on {device}")


def launch_row(code, workers, dry_run, launcher=""):
    """The row of the two-process launch, from its exit code, its two workers' logs and the
    launcher's own output (where it stopped before starting them)."""
    run = "2 processes over gloo (CPU)" if dry_run else "2 processes on GPU 0"
    done = [LAUNCH_DONE.search(log) for log in workers]
    if code == 0 and all(done) and all(int(m.group(2)) > 0 for m in done):
        steps = ", ".join(f"rank {m.group(1)}: {m.group(2)} steps" for m in done)
        return row("launch", "rec_mv3_tps_bilstm_ctc", run, "PASS", steps)
    lines = [line.strip() for log in [*workers, launcher] for line in log.splitlines() if line.strip()]
    refused = [line for line in lines if ONE_GPU_REFUSED.search(line)]
    if refused and not dry_run:
        return row("launch", "rec_mv3_tps_bilstm_ctc", run, "SKIP",
                   notes=f"Paddle's NCCL refuses two processes on one GPU: {refused[0][:200]}")
    errors = [line for line in lines if any(w in line for w in ("Error", "error:", "Exception", "FATAL"))]
    why = "timed out" if code is None else f"exit {code}"
    return row("launch", "rec_mv3_tps_bilstm_ctc", run, "FAIL",
               notes=f"{why}: {(errors or lines or ['no worker log'])[-1][:200]}")
