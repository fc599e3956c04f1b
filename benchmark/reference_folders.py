"""PaddleOCR's own inference folders read by both predict_recs: the same strings?

For each config, PaddleOCR (the reference) exports an inference folder with its own
``tools/export_model.py`` (``Global.use_gpu=False``; its ``inference.yml`` is left out, as in
the folders it publishes), from weights made by fill_params.py in its own model (values from
each parameter's name and shape) or given with ``--weights``. Then its ``tools/infer/predict_rec.py``
and this project's read the bundled word images from that folder with the command of PaddleOCR's
algorithm page (``--rec_image_shape "3, 32, 100" --rec_char_dict_path ...``, and
``--rec_algorithm SPIN --use_space_char False`` for SPIN), each in a child process with its own
interpreter and checkout, and the table compares what they print and the probabilities their
decoders were given:

- strings equal: images whose text is the same;
- attention decoding: PaddleOCR's SPIN decoder skips the end token and goes on, this project's
  stops there, so "up to the end token" counts the images whose project text is where PaddleOCR's
  text starts, and the probabilities say whether both models saw and computed the same;
- max |score diff|, max |probability diff| (every step and class), argmax steps equal.

PaddleOCR's predict_rec runs with ``--enable_mkldnn False``: with oneDNN on (Paddle 3.3.1's
default) its predictor fails on these graphs. This project runs with its default (oneDNN on, the
pass that breaks them deleted; oneDNN off for SPIN, whose graph oneDNN cannot run) and with oneDNN
off. ``--old_reference_python`` (a Paddle 2.x interpreter for the reference) also exports the old
``.pdmodel`` format and compares on it. On an AMD processor this project's tools choose MKL's fast
kernels (``MKL_DEBUG_CPU_TYPE``, ppocr/utils/cpu.py) and PaddleOCR's do not, which moves the last
digits of a probability; ``--env MKL_DEBUG_CPU_TYPE=7`` (or 5) gives both tools the same kernels.

Example (about 6 minutes on 2 cores)::

    python benchmark/reference_folders.py --reference ../PaddleOCR --reference_python ../refvenv/bin/python \\
        --out reference_folders.json --markdown reference_folders.md
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

import _harness as h
from train_speed import REPO

CONFIGS = ["rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att"]
CHILD = os.path.join(h.HERE, "_reference_folder_child.py")
FILL_PARAMS_DIR = os.path.join(REPO, "tests", "fixtures", "compat")
# the commands of PaddleOCR's algorithm pages for STAR-Net and SPIN (its dictionaries, from its root)
PAGE_FLAGS = {"STARNet": ["--rec_image_shape=3, 32, 100", "--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"],
              "SPIN": ["--rec_image_shape=3, 32, 100", "--rec_algorithm=SPIN",
                       "--rec_char_dict_path=./ppocr/utils/dict/spin_dict.txt", "--use_space_char=False"]}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference", required=True, help="PaddleOCR checkout (its tools/ and ppocr/)")
    p.add_argument("--reference_python", required=True, help="an interpreter with PaddlePaddle 3 and PaddleOCR's requirements")
    p.add_argument("--old_reference_python", default=None, help="a Paddle 2.x interpreter for PaddleOCR: also the .pdmodel format")
    p.add_argument("--project_python", default=sys.executable)
    p.add_argument("--configs", nargs="+", default=CONFIGS)
    p.add_argument("--weights", nargs="+", default=[f"rec_mv3_tps_bilstm_ctc={REPO}/pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"],
                   metavar="CONFIG_NAME=PREFIX", help="trained weights per config (default: the shipped MobileNetV3 "
                                                      "STAR-Net's); the others are filled by fill_params.py")
    p.add_argument("--image_dir", default=os.path.join(REPO, "doc", "imgs_words_en"))
    p.add_argument("--rec_batch_num", type=int, default=6)
    p.add_argument("--work_dir", default=None, help="where the weights and folders go (default: beside --out)")
    p.add_argument("--env", nargs="+", default=[], metavar="VAR=value", help="extra environment for every child")
    p.add_argument("--timeout", type=float, default=1200)
    p.add_argument("--out", default="reference_folders.json")
    p.add_argument("--markdown", default=None)
    args = p.parse_args(argv)
    args.reference = os.path.abspath(args.reference)
    args.image_dir = os.path.abspath(args.image_dir)
    args.work_dir = os.path.abspath(args.work_dir or os.path.join(os.path.dirname(os.path.abspath(args.out)),
                                                                  "reference_folders_work"))
    args.weights = dict(w.split("=", 1) for w in args.weights)
    args.env = h.parse_env(args.env)
    return args


def child(args, python, root, spec, log_name):
    run = h.run_child(python, CHILD, spec, h.thread_env("default", args.env), root, args.timeout,
                      log_path=os.path.join(args.work_dir, log_name + ".log"))
    if run["status"] != "ok" or not run["results"]:
        raise RuntimeError(f"{log_name}: {run['status']} {run['error']} (log: {log_name}.log in {args.work_dir})")
    return run["results"][-1]


def reference_export(args, name, weights, python, graph_format):
    """The folder PaddleOCR's export writes, as it publishes it (graph and weights only)."""
    out = os.path.join(args.work_dir, f"{name}_{graph_format}_export")
    opts = [f"Global.pretrained_model={weights}", f"Global.save_inference_dir={out}", "Global.use_gpu=False"]
    if graph_format == "pdmodel":
        opts.append("Global.export_with_pir=False")
    cmd = [python, "tools/export_model.py", "-c", f"configs/rec/{name}.yml", "-o", *opts]
    with open(os.path.join(args.work_dir, f"export_{name}_{graph_format}.log"), "w") as log:
        proc = subprocess.run(cmd, cwd=args.reference, stdout=log, stderr=subprocess.STDOUT, timeout=args.timeout,
                                env=h.thread_env("default", args.env))
    if proc.returncode != 0:
        raise RuntimeError(f"PaddleOCR's export of {name} ({graph_format}) failed: see export_{name}_{graph_format}.log")
    published = os.path.join(args.work_dir, f"{name}_{graph_format}")
    shutil.rmtree(published, ignore_errors=True)
    os.makedirs(published)
    for file in os.listdir(out):  # its graph and weights; its inference.yml is not published
        if file.endswith((f".{graph_format}", ".pdiparams")):
            shutil.copy(os.path.join(out, file), published)
    return published


def predict(args, library, folder, flags, tag):
    argv = [f"--image_dir={args.image_dir}", f"--rec_model_dir={folder}", f"--rec_batch_num={args.rec_batch_num}",
            "--use_gpu=False", *flags]
    python, root = (args.reference_python, args.reference) if library == "reference" else (args.project_python, REPO)
    probs_out = os.path.join(args.work_dir, f"probs_{tag}.npy")
    result = child(args, python, root, {"mode": "predict", "library": library, "root": root, "argv": argv,
                                        "probs_out": probs_out}, f"predict_{tag}")
    return result, np.load(probs_out)


def compare(ref, ref_probs, proj, proj_probs, attention):
    assert ref["images"] == proj["images"], "the two tools listed the images differently"
    texts = [(r[0], p[0]) for r, p in zip(ref["readings"], proj["readings"])]
    row = {"images": len(texts), "strings_equal": sum(r == p for r, p in texts),
           "max_score_diff": max(abs(r[1] - p[1]) for r, p in zip(ref["readings"], proj["readings"])),
           "max_probability_diff": float(np.abs(ref_probs - proj_probs).max()),
           "argmax_steps_equal": float((ref_probs.argmax(-1) == proj_probs.argmax(-1)).mean()),
           "differing": [f"{name}: {r!r} / {p!r}" for name, (r, p) in zip(ref["images"], texts) if r != p]}
    if attention:
        row["up_to_end_token"] = sum(r.startswith(p) for r, p in texts)
    return row


def run_config(args, name):
    algorithm = "SPIN" if "gaspin" in name else "STARNet"
    weights = args.weights.get(name)
    if weights is None:
        weights = os.path.join(args.work_dir, f"{name}_filled")
        child(args, args.reference_python, args.reference, {"mode": "weights", "root": args.reference,
              "config": f"configs/rec/{name}.yml", "out": weights, "fill_params_dir": FILL_PARAMS_DIR}, f"weights_{name}")
    formats = [("json", args.reference_python)] + ([("pdmodel", args.old_reference_python)] if args.old_reference_python else [])
    rows = []
    for graph_format, export_python in formats:
        folder = reference_export(args, name, os.path.abspath(weights), export_python, graph_format)
        tag = f"{name}_{graph_format}"
        ref, ref_probs = predict(args, "reference", folder, PAGE_FLAGS[algorithm] + ["--enable_mkldnn=False"], f"{tag}_reference")
        for setting, extra in (("default (oneDNN)", []), ("oneDNN off", ["--enable_mkldnn=False"])):
            proj, proj_probs = predict(args, "project", folder, PAGE_FLAGS[algorithm] + extra,
                                       f"{tag}_project_{'off' if extra else 'default'}")
            row = compare(ref, ref_probs, proj, proj_probs, attention=algorithm == "SPIN")
            rows.append({"config": name, "weights": "given" if name in args.weights else "fill_params",
                         "graph": f"inference.{graph_format}", "project": setting, **row})
            print(f"{name} {graph_format} {setting}: {row['strings_equal']}/{row['images']} strings equal, "
                  f"max |dp| {row['max_probability_diff']:.2e}", file=sys.stderr, flush=True)
    return rows


def table(rows):
    header = ["config", "weights", "graph", "this project", "strings equal", "up to the end token",
              "max abs score diff", "max abs probability diff", "argmax steps equal"]
    cells = [[r["config"], r["weights"], r["graph"], r["project"], f"{r['strings_equal']}/{r['images']}",
              f"{r['up_to_end_token']}/{r['images']}" if "up_to_end_token" in r else "–",
              f"{r['max_score_diff']:.1e}", f"{r['max_probability_diff']:.1e}", f"{100 * r['argmax_steps_equal']:.1f} %"]
             for r in rows]
    notes = [f"- {r['config']} ({r['graph']}, {r['project']}): {'; '.join(r['differing'])}" for r in rows if r["differing"]]
    return h.table(header, cells) + ("\n\nStrings that differ (PaddleOCR's / this project's):\n" + "\n".join(notes)
                                     if notes else "")


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.time()
    info = {"machine": h.machine(), "command": h.command_line(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "versions": {"project": h.versions(args.project_python), "reference": h.versions(args.reference_python)},
            "extra_env": args.env}
    rows = [row for name in args.configs for row in run_config(args, name)]
    info["seconds"] = round(time.time() - start)
    text = h.header_block("PaddleOCR's inference folders read by both predict_recs", info) + "\n\n" + table(rows)
    h.write_results(args.out, {"info": info, "rows": rows}, args.markdown, text)


if __name__ == "__main__":
    main()
