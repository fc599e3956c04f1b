"""predict_rec speed of this project and of the reference (PaddleOCR), side by side, on one machine.

Each config is exported by each library's own ``tools/export_model.py`` (random weights unless
``--weights``), then each library's own predictor class is built in a child process
(project: ``ppocr.inference.predictor.TextRecognizer``; reference: ``tools/infer/predict_rec.py``'s
``TextRecognizer`` with its command-line arguments) for every oneDNN setting and thread setting,
and timed at each ``--rec_batch_num``: per-image latency (median batch time / batch) and images/s
(images / total time of the timed runs), after ``--warmup`` runs, over at least ``--reps`` runs
and ``--min_seconds``. Only the predictor is timed (input copy, ``predictor.run()``, output
copy); decoding the image, resizing and postprocessing are not. The input is the first words of
the synthetic LMDB, resized by each library's own preprocessing to 32x100 (the reference's
predict_rec pads a batch to its widest word, which its exported TPS graph, fixed at width 100,
cannot take: the benchmark gives it width 100, as a batch of narrow words would).

Threads: ``default`` is what a user gets who sets nothing (OMP/MKL_NUM_THREADS unset; the
project's ``cpu_threads`` left at its default, the reference's ``--cpu_threads`` at its default
of 10); an integer N sets both variables and ``cpu_threads`` to N (``cores`` = CPU affinity).
A predictor that cannot be created or crashes is reported as "fails" with its error; every child
is killed after ``--timeout`` seconds. When the project's ``TextRecognizer`` takes a ``backend``
argument, ``backend="onnxruntime"`` is measured too (else the table says it was skipped).

The reference's exported TPS and SPIN graphs cannot be loaded with oneDNN on under Paddle 3.3.1
(``create_predictor`` raises "The type tensor<3200x2xf64> of outputs[0][1] must be equal to type
tensor<32x100x2xf64> of inputs[1]", after its ``operator_reshape_onednn_fuse_pass``). So the
reference is also measured with oneDNN on and that pass deleted by hand
(``--reference_delete_pass``; its ``create_predictor`` is wrapped in the child, no file is
changed): the summary gives the reference's best as shipped and its best with that fix. A last
column checks that each setting gives image 1 the same per-step argmax as oneDNN off at the
smallest batch (random weights make near-ties likely, so a "no" is a lead, not a verdict).

Examples::

    # quick check (a few minutes)
    python benchmark/predict_speed.py --configs configs/rec/rec_mv3_tps_bilstm_ctc.yml \\
        --warmup 1 --reps 3 --min_seconds 0.5 --out /tmp/predict_speed.json
    # the full measurement against the reference (about 40 minutes on 2 quiet cores)
    python benchmark/predict_speed.py --reference /work/ref/PaddleOCR \\
        --reference_python /work/refvenv/bin/python --out predict_speed.json --markdown predict_speed.md
"""
import argparse
import json
import os
import subprocess
import sys
import time

import _harness as h
from train_speed import CONFIGS, REPO, make_lmdb


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--project", default=REPO, help="checkout of this project to measure (default: this one)")
    p.add_argument("--project_python", default=sys.executable)
    p.add_argument("--reference", default=None, help="PaddleOCR checkout; without it only the project runs")
    p.add_argument("--reference_python", default=sys.executable)
    p.add_argument("--configs", nargs="+", default=CONFIGS)
    p.add_argument("--weights", nargs="+", default=[], metavar="CONFIG_NAME=PREFIX",
                   help="trained weights per config, e.g. rec_mv3_tps_bilstm_ctc=./pretrained/x/best_accuracy")
    p.add_argument("--rec_batch_num", nargs="+", type=int, default=[1, 6, 64])
    p.add_argument("--mkldnn", nargs="+", default=["on", "off"], choices=["on", "off"])
    p.add_argument("--threads", nargs="+", default=["default", "cores"])
    p.add_argument("--reference_delete_pass", nargs="*", default=["operator_reshape_onednn_fuse_pass"],
                   help="also measure the reference with oneDNN on and these inference passes deleted (its TPS and "
                        "SPIN graphs fail to load under oneDNN otherwise); none: skip that variant")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--min_seconds", type=float, default=3.0)
    p.add_argument("--lmdb", default=None, help="synthetic LMDB, e.g. train_speed.py's (default: predict_speed_lmdb "
                                                "beside --out, made if absent)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--env", nargs="+", default=[], metavar="VAR=value",
                   help="extra environment for every measured child, both libraries (e.g. MKL_DEBUG_CPU_TYPE=5)")
    p.add_argument("--timeout", type=float, default=900, help="seconds before a child is killed")
    p.add_argument("--out", default="predict_speed.json")
    p.add_argument("--markdown", default=None)
    args = p.parse_args(argv)
    args.threads = h.parse_threads(args.threads)
    args.env = h.parse_env(args.env)
    args.project = os.path.abspath(args.project)
    args.reference = os.path.abspath(args.reference) if args.reference else None
    args.lmdb = os.path.abspath(args.lmdb or os.path.join(os.path.dirname(os.path.abspath(args.out)), "predict_speed_lmdb"))
    args.weights = dict(w.split("=", 1) for w in args.weights)
    return args


def export(args, library, config, out_dir, log_dir):
    root, python = (args.project, args.project_python) if library == "project" else (args.reference, args.reference_python)
    name = os.path.splitext(os.path.basename(config))[0]
    target = os.path.join(out_dir, library, name)
    opts = [f"Global.save_inference_dir={target}", "Global.use_gpu=False"]
    if name in args.weights:
        opts.append(f"Global.pretrained_model={os.path.abspath(args.weights[name])}")
    cmd = [python, "tools/export_model.py", "-c", config, "-o", *opts]
    if library == "project" and args.onnx_backend:
        cmd.insert(4, "--onnx")  # the onnxruntime rows read the inference.onnx written beside the Paddle graph
    with open(os.path.join(log_dir, f"export_{library}_{name}.log"), "w") as log:
        try:
            proc = subprocess.run(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, timeout=args.timeout,
                                  env=h.thread_env("default"))
            ok = proc.returncode == 0
        except subprocess.TimeoutExpired:
            ok = False
    return target if ok else None, " ".join(cmd)


def variants(args, onnx):
    for mkldnn in args.mkldnn:
        for threads in args.threads:
            yield "paddle", mkldnn == "on", threads
    if onnx:
        for threads in args.threads:
            yield "onnxruntime", None, threads
    if args.reference and args.reference_delete_pass and "on" in args.mkldnn:
        for threads in args.threads:
            yield "paddle, passes deleted", True, threads


def measure(args, library, config, model_dir, backend, mkldnn, threads, log_dir):
    root, python = (args.project, args.project_python) if library == "project" else (args.reference, args.reference_python)
    algorithm = "SPIN" if "gaspin" in config else "STARNet"
    spec = {"library": library, "root": root, "model_dir": model_dir, "backend": backend, "mkldnn": mkldnn,
            "cpu_threads": None if threads == "default" else threads, "batches": args.rec_batch_num,
            "lmdb": args.lmdb, "algorithm": algorithm, "warmup": args.warmup, "reps": args.reps,
            "min_seconds": args.min_seconds,
            "delete_passes": args.reference_delete_pass if backend == "paddle, passes deleted" else []}
    slug = backend.replace(", passes deleted", "_passes_deleted")
    name = f"{library}_{os.path.splitext(os.path.basename(config))[0]}_{slug}_mkldnn{mkldnn}_t{threads}"
    key = {"library": library, "config": config, "backend": backend, "mkldnn": mkldnn, "threads": threads,
           "deleted": spec["delete_passes"]}
    if model_dir is None:
        return [{**key, "batch": b, "status": "fails", "error": "export failed"} for b in args.rec_batch_num]
    run = h.run_child(python, os.path.join(h.HERE, "_predict_child.py"), spec, h.thread_env(threads, args.env), root,
                      args.timeout, log_path=os.path.join(log_dir, name + ".log"))
    got = {r["batch"]: r for r in run["results"]}
    rows = []
    for b in args.rec_batch_num:
        if b in got:
            rows.append({**key, **got[b], "status": "ok", "memory": run["memory"]})
        else:
            rows.append({**key, "batch": b, "status": run["status"] if run["status"] != "ok" else "fails",
                         "error": run["error"] or "no result"})
    print(f"{name}: {run['status']} {[round(r.get('ms_per_image_median', -1), 2) for r in rows]} {run['error'][:200]}",
          file=sys.stderr, flush=True)
    return rows


def project_has_backend(args):
    code = ("import inspect, sys; sys.path.insert(0, sys.argv[1]); "
            "from ppocr.inference.predictor import TextRecognizer; "
            "print('backend' in inspect.signature(TextRecognizer).parameters)")
    proc = subprocess.run([args.project_python, "-c", code, args.project], capture_output=True, text=True,
                          cwd=args.project, env=h.thread_env("default"), timeout=300)
    return proc.stdout.strip().endswith("True")


def setting(row):
    if row["backend"] == "paddle, passes deleted":
        return f"oneDNN on, deleted by hand: {', '.join(row['deleted'])}, {h.thread_label(row['threads'])}"
    if row["backend"] != "paddle":
        return f"{row['backend']}, {h.thread_label(row['threads'])}"
    return f"oneDNN {'on' if row['mkldnn'] else 'off'}, {h.thread_label(row['threads'])}"


def tables(rows, args):
    out = []
    for config in args.configs:
        table = []
        settings = []
        for r in rows:
            if r["config"] == config and (r["backend"], r["mkldnn"], r["threads"]) not in settings:
                settings.append((r["backend"], r["mkldnn"], r["threads"]))
        for b in args.rec_batch_num:
            for s in settings:
                pick = {r["library"]: r for r in rows if r["config"] == config and r["batch"] == b
                        and (r["backend"], r["mkldnn"], r["threads"]) == s}
                p, ref = pick.get("project"), pick.get("reference")
                ok = [x if x and x["status"] == "ok" else None for x in (p, ref)]
                table.append([b, setting(p or ref), _cell(p, "ms_per_image_median", 2), _cell(p, "images_per_s"),
                              _cell(ref, "ms_per_image_median", 2), _cell(ref, "images_per_s"),
                              h.ratio(*(x["images_per_s"] if x else None for x in ok)),
                              f"{_same(rows, ok[0])} / {_same(rows, ok[1])}"])
        out.append(f"### {os.path.basename(config)}\n")
        out.append(h.table(["rec_batch_num", "setting", "project ms/image", "project images/s",
                            "reference ms/image", "reference images/s", "speed ratio p / r",
                            "image 1 argmax = oneDNN off's at the smallest batch, p / r"], table) + "\n")
        timed = sorted({(r["library"], r["backend"], r["timed"]) for r in rows if r["config"] == config and r.get("timed")})
        out.append("Timed: " + "; ".join(f"{lib} ({backend}): {what}" for lib, backend, what in timed) + "\n")
        errors = {(r["library"], setting(r), r["error"]) for r in rows if r["config"] == config and r["status"] != "ok"}
        if errors:
            out.append("\n".join(f"- {lib}, {s}: {err}" for lib, s, err in sorted(errors)) + "\n")
    return "\n".join(out)


def _same(rows, row):
    """Whether the row's per-step argmax of its first image equals that of the same library with
    oneDNN off at the smallest batch: a cheap check that a faster path, or a larger batch, computes
    the same thing (with random weights a near-tie can flip, so a 'no' is a lead, not a verdict)."""
    if row is None:
        return "–"
    off = [r for r in rows if r["status"] == "ok" and r["backend"] == "paddle" and r["mkldnn"] is False
           and (r["library"], r["config"]) == (row["library"], row["config"])]
    smallest = min((r["batch"] for r in off), default=None)
    base = [r.get("first_image_argmax_sha1") for r in off if r["batch"] == smallest]
    if not base:
        return "–"
    return "yes" if row.get("first_image_argmax_sha1") in base else "no"


def _cell(row, key, digits=1):
    if row is None:
        return "–"
    return h.fmt(row.get(key), digits) if row["status"] == "ok" else row["status"]


def summary(rows, args):
    """Per config and batch: the project with oneDNN on at default threads and at its best, against
    the reference's best working path as shipped and with the passes deleted by hand (issue 11's
    target 2 is batch 6). Speed-up = reference ms / project ms."""
    table = []
    ms = lambda r: r["ms_per_image_median"] if r else None  # noqa: E731
    label = lambda r: f"{h.fmt(ms(r), 2)} ({setting(r)})" if r else "–"  # noqa: E731
    fastest = lambda rs: min(rs, key=ms, default=None)  # noqa: E731
    for config in args.configs:
        for b in args.rec_batch_num:
            ok = [r for r in rows if r["config"] == config and r["batch"] == b and r["status"] == "ok"]
            proj = [r for r in ok if r["library"] == "project"]
            default = next((r for r in proj if r["backend"] == "paddle" and r["mkldnn"] and r["threads"] == "default"), None)
            best_p = fastest(proj)
            shipped = fastest(r for r in ok if r["library"] == "reference" and r["backend"] == "paddle")
            fixed = fastest(r for r in ok if r["library"] == "reference")
            table.append([os.path.basename(config), b, label(default), label(best_p), label(shipped), label(fixed),
                          h.ratio(ms(shipped), ms(default)), h.ratio(ms(shipped), ms(best_p)),
                          h.ratio(ms(fixed), ms(best_p))])
    return h.table(["config", "rec_batch_num", "project, oneDNN on, default threads", "project best",
                    "reference best, as shipped", "reference best, passes deleted too", "speed-up default / shipped",
                    "speed-up best / shipped", "speed-up best / ref best"], table)


def main(argv=None):
    args = parse_args(argv)
    t0 = time.perf_counter()
    out_dir = os.path.splitext(os.path.abspath(args.out))[0] + "_models"
    log_dir = os.path.splitext(os.path.abspath(args.out))[0] + "_logs"
    os.makedirs(log_dir, exist_ok=True)
    libraries = ["project"] + (["reference"] if args.reference else [])
    pythons = {"project": args.project_python, "reference": args.reference_python}
    onnx = args.onnx_backend = project_has_backend(args)
    info = {"machine": h.machine(), "command": h.command_line(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "extra_env": args.env,
            "lmdb_command": make_lmdb(args.lmdb, max(args.rec_batch_num), args.project, args.project_python, args.seed),
            "versions": {lib: h.versions(pythons[lib]) for lib in libraries},
            "onnxruntime": "measured" if onnx else "skipped: the project's TextRecognizer has no backend argument yet",
            "exports": {}, "settings": {k: v for k, v in vars(args).items()}}
    rows = []
    for config in args.configs:
        dirs = {}
        for library in libraries:
            dirs[library], cmd = export(args, library, config, out_dir, log_dir)
            info["exports"][f"{library} {config}"] = {"command": cmd, "ok": dirs[library] is not None}
        for backend, mkldnn, threads in variants(args, onnx):
            for library in libraries:  # alternate, so a busy spell hits both alike
                if (backend == "onnxruntime" and library != "project") or \
                        (backend == "paddle, passes deleted" and library != "reference"):
                    continue
                rows.extend(measure(args, library, config, dirs[library], backend, mkldnn, threads, log_dir))
                with open(args.out, "w") as f:
                    json.dump({"info": info, "rows": rows}, f, indent=1)
    info["seconds"] = round(time.perf_counter() - t0)
    text = "\n\n".join([h.header_block("predict_rec speed", info), f"onnxruntime backend: {info['onnxruntime']}",
                        "## Summary (per image, ms; lower is better)\n\n" + summary(rows, args),
                        "## Per config\n\n" + tables(rows, args),
                        f"Child logs: {log_dir}; exported models: {out_dir}; raw figures: {os.path.abspath(args.out)}"])
    h.write_results(args.out, {"info": info, "rows": rows}, args.markdown, text)


if __name__ == "__main__":
    main()
