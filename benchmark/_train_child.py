"""One training-speed measurement, run by train_speed.py as ``python _train_child.py 'JSON spec'``
with the measured library's own interpreter and its checkout as working folder.

Prints one ``BENCH_RESULT {json}`` line. Imports the measured library only (never both: each
has a top-level package ``ppocr``). See train_speed.py for what is measured.
"""
import json
import math
import os
import resource
import sys
import tempfile
import time
import warnings

RESULT = "BENCH_RESULT "


def overrides(spec, save_dir):
    """Section.key=value pairs both libraries' -o accept: the shared LMDB, batch, workers, the CPU
    (the GPU with ``spec["use_gpu"]``)."""
    lmdb, batch, workers = spec["lmdb"], spec["batch"], spec["workers"]
    return [
        f"Global.use_gpu={bool(spec.get('use_gpu'))}", f"Global.save_model_dir={save_dir}",
        "Train.dataset.name=LMDBDataSet", f"Train.dataset.data_dir={lmdb}",
        f"Train.loader.batch_size_per_card={batch}", f"Train.loader.num_workers={workers}",
        "Eval.dataset.name=LMDBDataSet", f"Eval.dataset.data_dir={lmdb}", "Eval.loader.num_workers=0",
    ]


def lmdb_config(path, folder):
    """``path`` with each dataset section reduced to the keys an LMDB set has (SPIN's config reads label
    files, and the project rejects options a component does not have); the copy is written to ``folder``."""
    import yaml

    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    for mode in ("Train", "Eval"):
        dataset = config[mode]["dataset"]
        config[mode]["dataset"] = {"name": "LMDBDataSet", "data_dir": dataset.get("data_dir"),
                                   "transforms": dataset["transforms"]}
    os.makedirs(folder, exist_ok=True)
    out = os.path.join(folder, "lmdb_" + os.path.basename(path))
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    return out


class Batches:
    """Endless batches from a DataLoader; counts the wraps to a new epoch (a wrap restarts workers)."""

    def __init__(self, loader):
        self.loader, self.it, self.wraps = loader, iter(loader), 0

    def next(self):
        try:
            return next(self.it)
        except StopIteration:
            self.wraps += 1
            self.it = iter(self.loader)
            return next(self.it)


def timed_loop(batches, n, step):
    """Run ``step(batch) -> {phase: seconds}`` on ``n`` batches; per-step 'data' (waiting for the
    loader) and phases, the wall time and the trainer process's CPU time over the loop."""
    rows = []
    workers0 = workers_cpu()
    cpu0, wall0 = os.times(), time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        batch = batches.next()
        row = {"data": time.perf_counter() - t}
        row.update(step(batch))
        rows.append(row)
    wall = time.perf_counter() - wall0
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    workers = sum(workers_cpu().get(pid, 0) - t for pid, t in workers0.items())
    return {"wall": wall, "cpu_cores_busy": cpu / wall if wall else None,
            "workers_cpu_cores_busy": workers / wall if wall else None,
            "phases": {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]} if rows else {}}


def workers_cpu():
    """{pid: CPU seconds} of this process's children (the loader workers), from /proc."""
    ticks, out = os.sysconf("SC_CLK_TCK"), {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children") as f:
                pids = [int(p) for p in f.read().split()]
        except OSError:
            continue
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            except (OSError, IndexError, ValueError):
                pass
    return out


# ---- FLOPs ------------------------------------------------------------------------------------
def count_flops(root, forward):
    """Forward FLOPs of ``forward()`` (2 per multiply-add) over the convolutions, linear layers and
    LSTM / GRU layers and cells of ``root``; elementwise ops, normalisation, grid_sample and free
    matmuls are not counted. Returns (flops, {layer type: flops})."""
    import paddle
    from paddle import nn

    per_type, hooks = {}, []
    rnn_cells = set()
    for layer in root.sublayers():
        if isinstance(layer, nn.layer.rnn.RNNBase):
            rnn_cells.update(id(sub) for sub in layer.sublayers())

    def add(kind, flops):
        per_type[kind] = per_type.get(kind, 0) + int(flops)

    def conv(layer, inputs, output):
        add(type(layer).__name__, 2 * math.prod(output.shape) * math.prod(layer.weight.shape[1:]))

    def linear(layer, inputs, output):
        add("Linear", 2 * math.prod(output.shape) * layer.weight.shape[0])

    def rnn(layer, inputs, output):
        x = inputs[0]
        steps, n = (x.shape[0], x.shape[1]) if layer.time_major else (x.shape[1], x.shape[0])
        gates = 4 if layer.mode == "LSTM" else 3 if layer.mode == "GRU" else 1
        h, size = layer.hidden_size, layer.input_size
        for _ in range(layer.num_layers):
            add(layer.mode, layer.num_directions * steps * n * 2 * gates * h * (size + h))
            size = h * layer.num_directions

    def cell(layer, inputs, output):
        gates = 4 if isinstance(layer, nn.LSTMCell) else 3
        add(type(layer).__name__, inputs[0].shape[0] * 2 * gates * layer.hidden_size * (layer.input_size + layer.hidden_size))

    for layer in root.sublayers(include_self=True):
        if id(layer) in rnn_cells:
            continue
        if isinstance(layer, (nn.Conv1D, nn.Conv2D, nn.Conv3D)):
            hooks.append(layer.register_forward_post_hook(conv))
        elif isinstance(layer, nn.Linear):
            hooks.append(layer.register_forward_post_hook(linear))
        elif isinstance(layer, nn.layer.rnn.RNNBase):
            hooks.append(layer.register_forward_post_hook(rnn))
        elif isinstance(layer, (nn.LSTMCell, nn.GRUCell)):
            hooks.append(layer.register_forward_post_hook(cell))
    try:
        with paddle.no_grad():
            forward()
    finally:
        for h in hooks:
            h.remove()
    return sum(per_type.values()), per_type


# ---- the project ------------------------------------------------------------------------------
def project(spec, save_dir):
    root = spec["root"]
    if os.path.isfile(os.path.join(root, "tools", "_bootstrap.py")):
        sys.path.insert(0, os.path.join(root, "tools"))
        import _bootstrap  # noqa: F401  what tools/train.py imports first (it may set defaults)
    sys.path.insert(0, root)
    argv = ["-c", lmdb_config(spec["config"], save_dir), "-o", *overrides(spec, save_dir)]
    try:
        from ppocr.cli.startup import setup
        config, _ = setup(argv, "train_speed")  # the path tools/train.py takes
    except ImportError:
        from ppocr.config import merge_config
        config = merge_config(spec["config"], argv[3:])
    from ppocr.training.trainer import Trainer

    trainer = Trainer(config)
    if not hasattr(trainer, "train_step"):  # a checkout from before the step interface: no phase split
        trainer.net.train()
        return trainer.train_loader, timed_step(trainer._step), timed_step(trainer._step), flops_of(trainer)
    train_step = trainer.train_step  # the public step the trainer runs, chosen for this machine
    train_step.net.train()

    def phases(batch):  # the same step, each phase's end as the step reports it
        marks = {}
        train_step.on_phase = lambda name: marks.__setitem__(name, time.perf_counter())
        t0 = time.perf_counter()
        try:
            train_step.step(batch)
        finally:
            train_step.on_phase = None
        return {"forward": marks["forward"] - t0, "backward": marks["backward"] - marks["forward"],
                "optimizer": marks["optimizer"] - marks["backward"]}

    return trainer.train_loader, timed_step(train_step.step), phases, flops_of(trainer)


def timed_step(step):
    """``step(batch)`` timed: ``{"step": seconds}``."""
    def timed(batch):
        t = time.perf_counter()
        step(batch)
        return {"step": time.perf_counter() - t}

    return timed


def flops_of(trainer):
    """``flops(batch)``: count_flops of the trainer's model on two of the batch's images."""
    import paddle

    from ppocr.training.train_step import targets_of

    def flops(batch):
        images = batch["image"][:2]
        targets = {k: v[:2] if isinstance(v, paddle.Tensor) else v for k, v in targets_of(batch).items()}
        return count_flops(trainer.model, lambda: trainer.model(images, targets))

    return flops


# ---- the reference (PaddleOCR): the body of tools/program.py train() for one batch ------------------
def reference_parts(spec, save_dir, extra_opts=()):
    """What the reference's tools/train.py builds before its loop, as it builds it: ``loader, model,
    loss_class, optimizer, lr_scheduler, extra_input`` (its model takes the batch's targets), and the
    merged config. ``extra_opts``: more ``Section.key=value`` pairs (e.g. its AMP keys)."""
    root = spec["root"]
    sys.path.insert(0, root)
    import paddle
    import yaml
    from ppocr.modeling.architectures import build_model
    from ppocr.utils.save_load import load_model
    from ppocr.utils.utility import set_seed
    from tools.program import load_config, merge_config

    from ppocr.data import build_dataloader
    from ppocr.losses import build_loss
    from ppocr.optimizer import build_optimizer
    from ppocr.postprocess import build_post_process
    from ppocr.utils.logging import get_logger

    opts = {}
    for pair in [*overrides(spec, save_dir), *extra_opts]:  # as tools/program.py's ArgsParser parses -o
        k, v = pair.split("=", 1)
        opts[k] = yaml.safe_load(v)
    config = merge_config(load_config(spec["config"]), opts)
    config = merge_config(config, {"profiler_options": None})
    logger = get_logger()
    device = paddle.set_device("gpu" if spec.get("use_gpu") else "cpu")
    config["Global"]["distributed"] = False
    set_seed(config["Global"].get("seed", 1024))
    loader = build_dataloader(config, "Train", device, logger, config["Global"].get("seed", 1024))
    post = build_post_process(config["PostProcess"], config["Global"])
    config["Architecture"]["Head"]["out_channels"] = len(post.character)  # tools/train.py, base rec model
    model = build_model(config["Architecture"])
    loss_class = build_loss(config["Loss"])
    optimizer, lr_scheduler = build_optimizer(config["Optimizer"], epochs=config["Global"]["epoch_num"],
                                              step_each_epoch=len(loader), model=model)
    load_model(config, model, optimizer, config["Architecture"]["model_type"])
    extra_input = config["Architecture"]["algorithm"] in ("SPIN",)  # program.py's extra_input_models, for these configs
    return loader, model, loss_class, optimizer, lr_scheduler, extra_input, config


def reference(spec, save_dir):
    loader, model, loss_class, optimizer, lr_scheduler, extra_input, _ = reference_parts(spec, save_dir)
    model.train()

    def replica(batch):
        t0 = time.perf_counter()
        model.train()
        optimizer.get_lr()
        images = batch[0]
        preds = model(images, data=batch[1:]) if extra_input else model(images)
        loss = loss_class(preds, batch)
        avg_loss = loss["loss"]
        t1 = time.perf_counter()
        avg_loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        optimizer.clear_grad()
        if not isinstance(lr_scheduler, float):
            lr_scheduler.step()
        {k: float(v) if v.shape == [] else v.numpy().mean() for k, v in loss.items()}  # its logging stats
        t3 = time.perf_counter()
        return {"forward": t1 - t0, "backward": t2 - t1, "optimizer": t3 - t2}

    def flops(batch):
        small = [b[:2] for b in batch]
        call = (lambda: model(small[0], data=small[1:])) if extra_input else (lambda: model(small[0]))
        return count_flops(model, call)

    return loader, None, replica, flops


def profile(batches, n, replica, path):
    """paddle.profiler's operator table of ``n`` replica steps (forward and backward ops, the
    optimizer's) written to ``path``; after the timed steps, so it changes none of their figures."""
    import contextlib

    import paddle.profiler as profiler

    prof = profiler.Profiler(targets=[profiler.ProfilerTarget.CPU])
    prof.start()
    for _ in range(n):
        replica(batches.next())
        prof.step()
    prof.stop()
    with open(path, "w") as f, contextlib.redirect_stdout(f):
        prof.summary(sorted_by=profiler.SortedKeys.CPUTotal, op_detail=False, time_unit="ms",
                     views=[profiler.SummaryView.OverView, profiler.SummaryView.OperatorView])


def main():
    spec = json.loads(sys.argv[1])
    warnings.filterwarnings("ignore")
    print("spec:", json.dumps(spec), flush=True)
    with tempfile.TemporaryDirectory(prefix="train_speed_") as save_dir:
        build = project if spec["library"] == "project" else reference
        t = time.perf_counter()
        loader, real_step, replica, flops = build(spec, save_dir)
        result = {"build_seconds": time.perf_counter() - t, "steps_per_epoch": len(loader),
                  "omp_num_threads_seen": os.environ.get("OMP_NUM_THREADS")}
        batches = Batches(loader)
        warmup, steps, batch = spec["warmup"], spec["steps"], spec["batch"]
        if real_step is not None:  # images/s through the library's own step function
            timed_loop(batches, warmup, real_step)
            result["real_step"] = timed_loop(batches, steps, real_step)
            result["split_on"] = "the real step's phases as it reports them (on_phase), after its timed run"
        else:
            result["split_on"] = "a replica of the train loop's per-step body"
        timed_loop(batches, min(3, warmup) if real_step is not None else warmup, replica)
        result["replica"] = timed_loop(batches, spec["split_steps"], replica)
        timing = result.get("real_step") or result["replica"]
        result["images_per_s"] = batch * spec["split_steps" if real_step is None else "steps"] / timing["wall"]
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if spec.get("profile_steps"):
            profile(batches, spec["profile_steps"], replica, spec["profile_path"])
        result["epoch_wraps"] = batches.wraps
        result["flops_per_image"], per_type = flops(batches.next())
        result["flops_per_image"] /= 2
        result["flops_by_layer_type"] = {k: v / 2 for k, v in per_type.items()}
    print(RESULT + json.dumps(result), flush=True)
    end_workers()
    os._exit(0)  # paddle's atexit hooks can hang a clean exit


def end_workers():
    """Kill the loader workers this process started (they can outlive it and hold its stdout)."""
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # paddle's loader raises when a worker dies
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children") as f:
                for pid in f.read().split():
                    os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass


if __name__ == "__main__":
    main()
