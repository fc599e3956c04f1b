"""One command that checks a GPU machine: training in float32 and mixed precision, export,
predict_rec on the GPU's predictors, and several processes on one GPU; one table, each row PASS,
FAIL or SKIP (with the reason). Unattended: no prompt, nothing downloaded; the exit status is 0
when no row fails, 1 when one does, 2 when there is no GPU to check (and no ``--dry-run``).

For each config (the three of configs/rec by default):

- training: ``--steps`` steps (200) at batch ``--batch`` (64) in float32, AMP O1 and AMP O2
  (float16, the loss scale 1024 and dynamic, as the reference's AMP configs), each through the
  trainer tools/train.py builds, on an LMDB of synthetic words made at the start with
  tools/gen_synth_data.py: images/s after ``--warmup`` steps, the loss (finite, and lower over the
  last tenth of the steps than over the first), the GPU's peak reserved memory and the weights'
  dtypes (O2: float16); beside the reference's own training (``--reference DIR
  --reference_python PY``: its builders and loop body, its AMP set up as its tools/train.py does);
- export (tools/export_model.py, ``--onnx`` when onnxruntime is checked) of the O2 run's weights
  (or ``--weights``: the MobileNetV3 STAR-Net's shipped weights by default, whose strings are real
  words), which must be saved as float32; infer_rec's strings on ``--images`` (the bundled
  doc/imgs_words_en/); then predict_rec with the Paddle GPU predictor, with TensorRT fp16 when this
  Paddle has TensorRT and the ``tensorrt`` package is installed, and with onnxruntime's CUDA
  provider when onnxruntime has it: each must give infer_rec's strings, on the device asked for.

Then ``paddle.distributed.launch`` with 2 processes on GPU 0 (``--devices 0,0``) trains the
MobileNetV3 STAR-Net for an epoch of a small LMDB; where Paddle (NCCL) refuses two processes on one
device, the row is a SKIP with its message.

``--dry-run`` runs the same code paths on a CPU machine, with tiny sizes (3 steps at batch 2,
about 90 s of processor time, two minutes on 2 shared cores): training with ``use_amp`` set (each AMP run must give the one-line
notice that it trains in float32 there), export, predict_rec with the GPU flags (each must warn
once and predict on the CPU), onnxruntime with ``--use_gpu True`` on its CPU provider, and the
two-process launch over gloo.

Examples::

    python benchmark/gpu_check.py                      # on a GPU machine: under 8 minutes on one GPU
    python benchmark/gpu_check.py --reference ../PaddleOCR --reference_python ../refvenv/bin/python
    python benchmark/gpu_check.py --dry-run            # on a CPU machine

The table goes to stdout and, with the figures, to ``--out`` (JSON) and ``--markdown``
(default: output/gpu_check/gpu_check.json and .md); each child's log is in the work folder.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

import _harness as h
from _gpu_check_rows import deploy_rows, launch_row, train_rows

REPO = os.path.dirname(h.HERE)
CHILD = os.path.join(h.HERE, "_gpu_check_child.py")
CONFIGS = ["configs/rec/rec_mv3_tps_bilstm_ctc.yml", "configs/rec/rec_r34_vd_tps_bilstm_ctc.yml",
           "configs/rec/rec_r32_gaspin_bilstm_att.yml"]
PRECISIONS = ["float32", "O1", "O2"]
SHIPPED = "rec_mv3_tps_bilstm_ctc=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"
DRY = {"steps": 3, "warmup": 1, "batch": 2, "workers": 0, "num": 32}  # the sizes of --dry-run
PROBE = r"""
import json, warnings
warnings.filterwarnings("ignore")
import paddle, paddle.inference as pi
info = {"paddle": paddle.__version__, "cuda": paddle.is_compiled_with_cuda(), "devices": 0, "gpu": None,
        "tensorrt": None, "onnxruntime_cuda": None}
if info["cuda"]:
    info["devices"] = paddle.device.cuda.device_count()
    if info["devices"]:
        info["gpu"] = paddle.device.cuda.get_device_name(0)
if tuple(pi.get_trt_compile_version()) == (0, 0, 0):
    info["tensorrt"] = "this PaddlePaddle was built without TensorRT"
else:
    try:
        import tensorrt  # paddle.tensorrt converts the .json graphs with it
    except ImportError:
        info["tensorrt"] = "the tensorrt package is not installed (pip install tensorrt)"
try:
    import onnxruntime
    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        info["onnxruntime_cuda"] = "this onnxruntime has no CUDA provider (pip install onnxruntime-gpu)"
except ImportError:
    info["onnxruntime_cuda"] = "onnxruntime is not installed (pip install onnxruntime-gpu)"
print(json.dumps(info))
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dry-run", dest="dry_run", action="store_true",
                   help="the same code paths on the CPU, tiny sizes (a CPU machine's check of this script)")
    p.add_argument("--configs", nargs="+", default=CONFIGS)
    p.add_argument("--steps", type=int, default=None, help="training steps per run (200; dry run 3)")
    p.add_argument("--warmup", type=int, default=None, help="steps before images/s is timed (10; dry run 1)")
    p.add_argument("--batch", type=int, default=None, help="batch size (64; dry run 2)")
    p.add_argument("--workers", type=int, default=None, help="loader workers (4; dry run 0)")
    p.add_argument("--weights", nargs="*", default=[SHIPPED], metavar="CONFIG_NAME=PREFIX",
                   help="weights to export instead of the O2 run's (default: the shipped MobileNetV3 STAR-Net's)")
    p.add_argument("--images", default="doc/imgs_words_en", help="word images for infer_rec and predict_rec")
    p.add_argument("--reference", default=None, help="PaddleOCR checkout: its training beside the project's")
    p.add_argument("--reference_python", default=sys.executable)
    p.add_argument("--project_python", default=sys.executable)
    p.add_argument("--timeout", type=float, default=900, help="seconds before a child is killed")
    p.add_argument("--out", default="output/gpu_check/gpu_check.json", help="the figures (JSON)")
    p.add_argument("--markdown", default=None, help="the table (default: --out with .md)")
    args = p.parse_args(argv)
    sizes = DRY if args.dry_run else {"steps": 200, "warmup": 10, "batch": 64, "workers": 4, "num": None}
    for key, value in sizes.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.num = args.num or args.steps * args.batch  # one epoch: no loader restart inside a run
    if not 0 <= args.warmup < args.steps:
        p.error(f"--warmup {args.warmup} must be below --steps {args.steps}")
    args.weights = dict(w.split("=", 1) for w in args.weights)
    args.reference = os.path.abspath(args.reference) if args.reference else None
    args.out = os.path.abspath(args.out)
    args.markdown = args.markdown or os.path.splitext(args.out)[0] + ".md"
    args.work = os.path.splitext(args.out)[0] + "_work"
    return args


def probe(python):
    proc = subprocess.run([python, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=300,
                          env=h.thread_env("default"))
    try:
        return __import__("json").loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"error: could not ask Paddle about this machine: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")


def make_lmdb(args, path, num, seed):
    cmd = [args.project_python, "tools/gen_synth_data.py", "--num", str(num), "--seed", str(seed), "--lmdb", path,
           "--workers", str(h.cores())]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=h.thread_env("default"))
    if proc.returncode != 0:
        sys.exit(f"error: tools/gen_synth_data.py failed:\n{proc.stderr[-2000:]}")


def child(args, python, root, spec, name):
    """The ``BENCH_RESULT`` parts of one child, by name; a child that died leaves its error in each missing part."""
    run = h.run_child(python, CHILD, spec, h.thread_env("default"), root, args.timeout,
                      log_path=os.path.join(args.work, name + ".log"))
    parts = {r["part"]: r for r in run["results"]}
    print(f"{name}: {run['status']} {run['seconds']} s {run['error'][:200]}", file=sys.stderr, flush=True)
    return parts, run["error"] or "no result"


def train(args, config, lmdb, library):
    name = os.path.splitext(os.path.basename(config))[0]
    python, root = (args.project_python, REPO) if library == "project" else (args.reference_python, args.reference)
    spec = {"mode": "train", "library": library, "root": root, "config": config, "lmdb": lmdb, "batch": args.batch,
            "workers": args.workers, "steps": args.steps, "warmup": args.warmup, "use_gpu": not args.dry_run,
            "save_level": "O2", "save_prefix": os.path.join(args.work, "weights", name, "o2_run")}
    if library == "project":
        return child(args, python, root, {**spec, "precisions": PRECISIONS}, f"train_{name}")
    results, error = {}, ""
    for level in PRECISIONS:  # one process each: the reference's LMDB reader opens its file once per process
        parts, error = child(args, python, root, {**spec, "precisions": [level]}, f"reference_train_{name}_{level}")
        results.update(parts)
    return results, error


def deploy(args, config, machine, trained):
    name = os.path.splitext(os.path.basename(config))[0]
    weights = args.weights.get(name) or trained
    predicts = [("Paddle GPU predictor", ["--use_gpu=True"], None),
                ("TensorRT fp16", ["--use_gpu=True", "--use_tensorrt=True", "--precision=fp16"],
                 machine["tensorrt"]),
                ("onnxruntime CUDA", ["--use_gpu=True", "--use_onnx=True"],
                 None if args.dry_run else machine["onnxruntime_cuda"])]
    run = [(label, flags) for label, flags, skip in predicts if skip is None]
    spec = {"mode": "deploy", "library": "project", "root": REPO, "config": config, "weights": weights,
            "model_dir": os.path.join(args.work, "inference", name), "images": args.images,
            "use_gpu": not args.dry_run, "onnx": any("--use_onnx=True" in flags for _, flags in run), "predicts": run}
    parts, error = child(args, args.project_python, REPO, spec, f"deploy_{name}")
    label = "given weights" if name in args.weights else "the O2 run's weights"
    return deploy_rows(name, parts, error, predicts, label, args.dry_run)


def launch(args, lmdb):
    """paddle.distributed.launch with 2 processes: on GPU 0 (both), or over gloo for the dry run."""
    logs = os.path.join(args.work, "launch_logs")
    shutil.rmtree(logs, ignore_errors=True)
    where = ["--nproc_per_node", "2"] if args.dry_run else ["--devices", "0,0"]
    cmd = [args.project_python, "-m", "paddle.distributed.launch", *where, "--log_dir", logs, "tools/train.py",
           "-c", "configs/rec/rec_mv3_tps_bilstm_ctc.yml", "-o", f"Global.use_gpu={not args.dry_run}",
           "Global.epoch_num=1", f"Global.save_model_dir={os.path.join(args.work, 'launch_model')}",
           "Global.eval_batch_step=[0,100000]", "Global.cpu_replicas=1", f"Train.dataset.data_dir={lmdb}",
           f"Eval.dataset.data_dir={lmdb}", f"Train.loader.batch_size_per_card={min(args.batch, 8)}",
           "Train.loader.num_workers=0", "Eval.loader.num_workers=0", "Eval.loader.batch_size_per_card=8"]
    launcher = os.path.join(args.work, "launch.log")
    with open(launcher, "w") as log:
        try:
            code = subprocess.run(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, timeout=args.timeout,
                                  env=h.thread_env("default")).returncode
        except subprocess.TimeoutExpired:
            code = None
    workers = []
    for rank in (0, 1):
        path = os.path.join(logs, f"workerlog.{rank}")
        workers.append(open(path, errors="replace").read() if os.path.isfile(path) else "")
    return launch_row(code, workers, args.dry_run, open(launcher, errors="replace").read())


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    machine = probe(args.project_python)
    if not args.dry_run and not machine["devices"]:
        why = "a CPU build of PaddlePaddle" if not machine["cuda"] else "no CUDA device visible"
        print(f"error: no GPU to check here ({why}, paddle {machine['paddle']}): run this on a GPU machine with "
              "paddlepaddle-gpu, or add --dry-run to check the same code paths on the CPU", file=sys.stderr)
        return 2
    if args.dry_run and machine["tensorrt"] is None:
        machine["tensorrt"] = "a dry run does not build TensorRT engines"
    shutil.rmtree(args.work, ignore_errors=True)
    for folder in ("weights", "inference"):
        for config in args.configs:
            os.makedirs(os.path.join(args.work, folder, os.path.splitext(os.path.basename(config))[0]), exist_ok=True)
    lmdb, small = os.path.join(args.work, "lmdb"), os.path.join(args.work, "lmdb_small")
    make_lmdb(args, lmdb, args.num, seed=0)
    make_lmdb(args, small, 16 if args.dry_run else 64, seed=1)
    rows, raw = [], {}
    for config in args.configs:
        name = os.path.splitext(os.path.basename(config))[0]
        project = train(args, config, lmdb, "project")
        reference = train(args, config, lmdb, "reference") if args.reference else None
        rows += train_rows(name, project, reference, PRECISIONS, args.dry_run)
        rows += deploy(args, config, machine, project[0].get("train O2", {}).get("saved"))
        raw[name] = {"project": project[0], "reference": reference[0] if reference else None}
    rows.append(launch(args, small))
    info = {"machine": h.machine(), "command": h.command_line(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "seconds": round(time.time() - start), "versions": {"project": h.versions(args.project_python)},
            "gpu": machine, "dry_run": args.dry_run, "sizes": {k: getattr(args, k) for k in DRY}}
    if args.reference:
        info["versions"]["reference"] = h.versions(args.reference_python)
    title = "GPU check (dry run: the same code paths on the CPU)" if args.dry_run else "GPU check"
    gpu = f"- GPU: {machine['gpu'] or 'none'} ({machine['devices']} visible), paddle {machine['paddle']}"
    cells = [[r["check"], r["config"], r["run"], r["status"], r["project"], r["reference"], r["notes"]] for r in rows]
    text = "\n\n".join([h.header_block(title, info) + "\n" + gpu, h.table(
        ["check", "config", "run", "status", "project", "reference", "notes"], cells)])
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    h.write_results(args.out, {"info": info, "rows": rows, "raw": raw}, args.markdown, text)
    return 1 if any(r["status"] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
