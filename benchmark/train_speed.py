"""Training speed of this project and of the reference (PaddleOCR), side by side, on one machine.

For each config and batch size, at each thread setting, one child process per library trains on
the same synthetic LMDB with the same number of loader workers and reports:

- steady-state images/s: ``batch x steps / wall time`` over ``--steps`` steps after ``--warmup``
  steps, the time waiting for the loader included. Project: through ``Trainer.train_step.step(batch)``,
  the public step its trainer runs (one model, or a model replica per core on the CPU).
  Reference: a replica of the per-step body of its ``tools/program.py`` ``train()``
  (``model.train()``, forward with the batch as it passes it, loss, backward, ``optimizer.step``,
  ``clear_grad``, ``lr_scheduler.step``, its float() of the loss), AMP off and its own grad clip;
  its per-batch ``cal_metric_during_train`` decoding and its logging are left out, as are the
  project's (every ``print_batch_step`` steps).
- time per step split into data wait / forward (model + loss) / backward / optimizer (step +
  clear_grad + lr step; with the project's CPU model replicas also the gradient average and the
  weight sharing) over ``--split_steps`` more steps. Project: the same public step, its phases
  ended where its ``on_phase`` hook reports them (with CPU model replicas, forward is the first
  replica's and backward lasts until every replica's has finished), after its real step's run in
  the same process; reference: a replica of its step timed phase by phase.
- peak memory: the trainer process's own peak RSS (``ru_maxrss``, the kernel's high-water
  mark), and the peak of the summed PSS of the trainer and its loader workers, sampled every
  0.2 s from /proc by this script (PSS splits shared pages among their sharers; the summed RSS,
  which counts them once per process, is in the JSON).
- compute threads: ``default`` runs with OMP_NUM_THREADS / MKL_NUM_THREADS removed from the
  environment (what a user who sets nothing gets); an integer sets both (``cores`` = this
  process's CPU affinity, the reference's best). "cores busy" is CPU time over wall time
  of the timed steps, trainer + loader workers: the threads that actually ran (a trainer
  below its thread count shares its cores with someone else).
- achieved GFLOP/s = 3 x forward FLOPs per image x images/s (backward taken as 2 x forward);
  forward FLOPs are counted by hooks on each library's own model in training mode (2 per
  multiply-add of convolutions, linear layers, LSTM layers and LSTM/GRU cells; elementwise ops,
  normalisation, grid_sample and free matmuls are not counted), next to the machine's float32
  2048x2048 matrix-product rate (numpy, and paddle.matmul at each thread setting).

Both models are built with each library's own builders from the config; data_dir, batch and
workers are set through each library's -o overrides (never by editing files); evaluation, saving
and logging do not run. The LMDB is made once with the project's ``tools/gen_synth_data.py``
(one epoch's worth, so no loader restart falls in a timed step). ``--env VAR=value`` runs every
child of both libraries with that variable too (e.g. ``MKL_DEBUG_CPU_TYPE=5``: paddle's bundled
MKL of 2019 runs its slow generic path on AMD CPUs otherwise; the header gives paddle.matmul's
rate with and without it). ``--profile N`` adds paddle.profiler's operator table of N more
split steps per run (``*_profile.txt`` beside the child logs). Every child is killed after ``--timeout`` s; a failed run shows as "fails" with its
error under its table. The two libraries alternate run by run, so a busy spell on a shared
machine hits both alike; the load average at the start is in the header.

With the defaults (3 configs x batch 32, 64 x 2 thread settings x 2 libraries: 24 runs; the
project's runs do warmup + steps + 3 + split_steps = 53 steps, the reference's warmup +
split_steps = 30) a full run takes about 3 hours on 2 cores; ``--warmup 5 --steps 10``
about half that.

Examples (the reference needs its own interpreter: both libraries have a package ``ppocr``)::

    # quick check, project only (minutes)
    python benchmark/train_speed.py --configs configs/rec/rec_mv3_tps_bilstm_ctc.yml \\
        --batch 8 --warmup 2 --steps 3 --out /tmp/train_speed.json
    # the full measurement against the reference (about 3 hours on 2 cores)
    python benchmark/train_speed.py --reference /work/ref/PaddleOCR \\
        --reference_python /work/refvenv/bin/python --out train_speed.json --markdown train_speed.md
"""
import argparse
import json
import os
import subprocess
import sys
import time

import _harness as h

REPO = os.path.dirname(h.HERE)
CONFIGS = ["configs/rec/rec_mv3_tps_bilstm_ctc.yml", "configs/rec/rec_r34_vd_tps_bilstm_ctc.yml",
           "configs/rec/rec_r32_gaspin_bilstm_att.yml"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--project", default=REPO, help="checkout of this project to measure (default: this one)")
    p.add_argument("--project_python", default=sys.executable, help="interpreter for the project")
    p.add_argument("--reference", default=None, help="PaddleOCR checkout; without it only the project runs")
    p.add_argument("--reference_python", default=sys.executable, help="interpreter with the reference's requirements")
    p.add_argument("--configs", nargs="+", default=CONFIGS, help="config paths, relative to each checkout")
    p.add_argument("--batch", nargs="+", type=int, default=[32, 64])
    p.add_argument("--workers", type=int, default=2, help="loader worker processes")
    p.add_argument("--threads", nargs="+", default=["default", "cores"],
                   help="thread settings: 'default' (OMP/MKL_NUM_THREADS unset), 'cores', or a number")
    p.add_argument("--warmup", type=int, default=10, help="steps before timing")
    p.add_argument("--steps", type=int, default=20, help="timed steps for images/s")
    p.add_argument("--split_steps", type=int, default=None, help="timed steps of the phase split (default: --steps)")
    p.add_argument("--lmdb", default=None, help="synthetic LMDB folder; made with gen_synth_data.py if absent "
                                                "(default: train_speed_lmdb beside --out)")
    p.add_argument("--num", type=int, default=None, help="images to generate (default: enough for one epoch)")
    p.add_argument("--seed", type=int, default=0, help="gen_synth_data.py --seed")
    p.add_argument("--profile", type=int, default=0, metavar="STEPS",
                   help="after timing, profile STEPS split steps with paddle.profiler (operator table per run, "
                        "in the logs folder); 0: no profile")
    p.add_argument("--env", nargs="+", default=[], metavar="VAR=value",
                   help="extra environment for every measured child, both libraries (e.g. MKL_DEBUG_CPU_TYPE=5)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds before a child is killed")
    p.add_argument("--out", default="train_speed.json", help="raw figures (JSON)")
    p.add_argument("--markdown", default=None, help="also write the tables here (default: printed only)")
    args = p.parse_args(argv)
    args.split_steps = args.split_steps or args.steps
    args.threads = h.parse_threads(args.threads)
    args.env = h.parse_env(args.env)
    args.project = os.path.abspath(args.project)
    args.reference = os.path.abspath(args.reference) if args.reference else None
    args.lmdb = os.path.abspath(args.lmdb or os.path.join(os.path.dirname(os.path.abspath(args.out)), "train_speed_lmdb"))
    return args


def make_lmdb(lmdb_dir, num, project, python, seed):
    """Make ``num`` words in ``lmdb_dir`` with the project's generator unless it exists; returns how
    it was made (or what it holds)."""
    lmdb_format = h.project_module("ppocr", "data", "lmdb_format.py")
    if lmdb_format.is_lmdb(lmdb_dir):
        with lmdb_format.open_reader(lmdb_dir, max_readers=4) as env, env.begin() as txn:
            have = lmdb_format.read_count(txn)
        if have < num:
            print(f"warning: {lmdb_dir} holds {have} images, fewer than the {num} this run reads: the loader "
                  "restarts its workers at each new epoch (counted as epoch_wraps)", file=sys.stderr)
        return f"(existing {lmdb_dir}, {have} images)"
    cmd = [python, os.path.join(project, "tools", "gen_synth_data.py"), "--num", str(num), "--seed", str(seed),
           "--lmdb", lmdb_dir]
    print(f"generating the LMDB: {' '.join(cmd)}", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"gen_synth_data.py failed:\n{proc.stderr[-2000:]}")
    return " ".join(cmd)


def lmdb_size(args):
    """Images for one epoch of the longest run, so no loader restart falls in a timed step."""
    steps = args.warmup + args.steps + 3 + args.split_steps + args.profile + 2
    return args.num or int(1.1 * max(args.batch) * steps)


def measure(args, library, config, batch, threads, log_dir):
    root, python = (args.project, args.project_python) if library == "project" else (args.reference, args.reference_python)
    spec = {"library": library, "root": root, "config": config, "lmdb": args.lmdb, "batch": batch,
            "workers": args.workers, "warmup": args.warmup, "steps": args.steps, "split_steps": args.split_steps}
    name = f"{library}_{os.path.splitext(os.path.basename(config))[0]}_b{batch}_t{threads}"
    if args.profile:
        spec.update(profile_steps=args.profile, profile_path=os.path.join(log_dir, name + "_profile.txt"))
    run = h.run_child(python, os.path.join(h.HERE, "_train_child.py"), spec, h.thread_env(threads, args.env), root,
                      args.timeout, log_path=os.path.join(log_dir, name + ".log"))
    result = run.pop("results")
    run.update(result[-1] if result else {})
    if run["status"] == "ok" and not result:
        run.update(status="fails", error="no result printed")
    if result:
        gflop = 3 * run["flops_per_image"] * run["images_per_s"] / 1e9
        run["achieved_gflops_fwd_bwd"] = round(gflop, 2)
    run.update(library=library, config=config, batch=batch, threads=threads)
    print(f"{name}: {run['status']} {run.get('images_per_s', run.get('error'))}", file=sys.stderr, flush=True)
    return run


def ms(run, phase, where="replica"):
    value = (run.get(where) or {}).get("phases", {}).get(phase)
    return None if value is None else value * 1000


def cell(run, key, digits=1):
    if run is None:
        return "–"
    if run["status"] != "ok":
        return run["status"]
    return h.sig(run.get(key)) if key == "images_per_s" else h.fmt(run.get(key), digits)


def split(run):
    if run is None or run["status"] != "ok":
        return "–"
    parts = "/".join(h.fmt(ms(run, k), 0) for k in ("data", "forward", "backward", "optimizer"))
    real = ms(run, "step", "real_step")
    return parts + (f" (real step {real:.0f})" if real is not None else "")


def tables(runs, args):
    out = []
    for config in args.configs:
        for batch in args.batch:
            rows = []
            for threads in args.threads:
                pick = {r["library"]: r for r in runs if (r["config"], r["batch"], r["threads"]) == (config, batch, threads)}
                p, r = pick.get("project"), pick.get("reference")
                ips = [x.get("images_per_s") if x and x["status"] == "ok" else None for x in (p, r)]
                rows.append([h.thread_label(threads), cell(p, "images_per_s"), cell(r, "images_per_s"), h.ratio(*ips),
                             split(p), split(r), f"{cell(p, 'peak_rss_mib', 0)} / {_tree(p)}",
                             f"{cell(r, 'peak_rss_mib', 0)} / {_tree(r)}",
                             f"{cell(p, 'achieved_gflops_fwd_bwd')} / {cell(r, 'achieved_gflops_fwd_bwd')}",
                             f"{_busy(p)} / {_busy(r)}"])
            flops = [x for x in runs if x["config"] == config and x.get("flops_per_image")]
            out.append(f"### {os.path.basename(config)}, batch {batch}, {args.workers} loader workers\n")
            out.append(f"Forward GFLOP per image (hook count, project / reference): "
                       f"{_flops(runs, config, 'project')} / {_flops(runs, config, 'reference')}\n" if flops else "")
            out.append(h.table(["threads", "project img/s", "reference img/s", "ratio",
                                "project ms data/fwd/bwd/opt", "reference ms data/fwd/bwd/opt (replica)",
                                "project peak RSS / workers+trainer PSS (MiB)", "reference peak RSS / PSS (MiB)",
                                "achieved GFLOP/s p / r", "cores busy, trainer+workers, p / r"], rows) + "\n")
            errors = [f"- {r['library']}, {h.thread_label(r['threads'])}: {r['status']}: {r['error']}" for r in runs
                      if (r["config"], r["batch"]) == (config, batch) and r["status"] != "ok"]
            if errors:
                out.append("\n".join(errors) + "\n")
    return "\n".join(out)


def summary(runs, args):
    """One row per config and batch: the project as a user gets it and at its best, against the
    reference at its best thread setting (the comparison of issue 11's targets)."""
    rows = []
    for config in args.configs:
        for batch in args.batch:
            ok = [r for r in runs if (r["config"], r["batch"]) == (config, batch) and r["status"] == "ok"]
            proj = [r for r in ok if r["library"] == "project"]
            ref = [r for r in ok if r["library"] == "reference"]
            default = next((r for r in proj if r["threads"] == "default"), None)
            best_p = max(proj, key=lambda r: r["images_per_s"], default=None)
            best_r = max(ref, key=lambda r: r["images_per_s"], default=None)
            ips = lambda r: r["images_per_s"] if r else None  # noqa: E731
            label = lambda r: f"{h.sig(ips(r))} ({h.thread_label(r['threads'])})" if r else "–"  # noqa: E731
            pss = lambda r: h.fmt(r["memory"]["peak_tree_pss_mib"], 0) if r else "–"  # noqa: E731
            rows.append([os.path.basename(config), batch, label(default), label(best_p), label(best_r),
                         h.ratio(ips(default), ips(best_r)), h.ratio(ips(best_p), ips(best_r)),
                         f"{pss(best_p)} / {pss(best_r)}"])
    return h.table(["config", "batch", "project img/s, default threads", "project img/s, best", "reference img/s, best",
                    "ratio default / ref best", "ratio best / ref best", "peak PSS MiB at best, p / r"], rows)


def _tree(run):
    return "–" if run is None or run["status"] != "ok" else h.fmt(run["memory"]["peak_tree_pss_mib"], 0)


def _busy(run):
    """CPU time over wall time of the trainer process + its loader workers, over the timed steps."""
    if run is None or run["status"] != "ok":
        return "–"
    loop = run.get("real_step", run["replica"])
    return f"{h.fmt(loop['cpu_cores_busy'], 2)}+{h.fmt(loop.get('workers_cpu_cores_busy'), 2)}"


def _flops(runs, config, library):
    values = [r["flops_per_image"] for r in runs if r["config"] == config and r["library"] == library
              and r.get("flops_per_image")]
    return h.fmt(values[0] / 1e9, 3) if values else "–"


def main(argv=None):
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    t0 = time.perf_counter()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    log_dir = os.path.splitext(os.path.abspath(args.out))[0] + "_logs"
    os.makedirs(log_dir, exist_ok=True)
    libraries = ["project"] + (["reference"] if args.reference else [])
    pythons = {"project": args.project_python, "reference": args.reference_python}
    info = {"machine": h.machine(), "command": h.command_line(), "started": started, "extra_env": args.env,
            "lmdb_command": make_lmdb(args.lmdb, lmdb_size(args), args.project, args.project_python, args.seed),
            "versions": {lib: h.versions(pythons[lib]) for lib in libraries},
            "matmul_2048_gflops": {"numpy (default threads)": h.matmul_rate(args.project_python, "numpy", "default")},
            "settings": {k: v for k, v in vars(args).items()}}
    for threads in args.threads:
        info["matmul_2048_gflops"][f"paddle.matmul ({h.thread_label(threads)})"] = \
            h.matmul_rate(args.project_python, "paddle", threads, extra_env=args.env)
    # paddle's bundled MKL (2019) takes a slow path on non-Intel CPUs unless told otherwise:
    # 5 = its AVX2 kernels, 7 = its AVX-512 ones (ppocr/utils/cpu.py; only where the CPU has them)
    for kind in h.mkl_kernel_choices():
        info["matmul_2048_gflops"][f"paddle.matmul ({h.thread_label(h.cores())}, MKL_DEBUG_CPU_TYPE={kind})"] = \
            h.matmul_rate(args.project_python, "paddle", h.cores(), extra_env={**args.env, "MKL_DEBUG_CPU_TYPE": kind})
    runs = []
    for config in args.configs:  # the two libraries alternate, so a busy spell hits both alike
        for batch in args.batch:
            for threads in args.threads:
                for library in libraries:
                    runs.append(measure(args, library, config, batch, threads, log_dir))
                    with open(args.out, "w") as f:
                        json.dump({"info": info, "runs": runs}, f, indent=1)
    info["seconds"] = round(time.perf_counter() - t0)
    rates = ", ".join(f"{k}: {v}" for k, v in info["matmul_2048_gflops"].items())
    text = "\n\n".join([h.header_block("Training speed", info), f"float32 2048x2048 matmul, GFLOP/s: {rates}",
                        "## Summary\n\n" + summary(runs, args), "## Per config and batch\n\n" + tables(runs, args),
                        f"Child logs: {log_dir}; raw figures: {os.path.abspath(args.out)}"])
    h.write_results(args.out, {"info": info, "runs": runs}, args.markdown, text)


if __name__ == "__main__":
    main()
