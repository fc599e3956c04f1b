"""One predict-speed measurement, run by predict_speed.py as ``python _predict_child.py 'JSON spec'``
with the measured library's own interpreter and its checkout as working folder: one predictor
(library, exported model, backend / oneDNN, threads), timed at each batch size in turn.

Prints a ``BENCH_RESULT {json}`` line per batch size as soon as it is measured, so a crash at
batch 64 keeps the figures of batches 1 and 6. Imports the measured library only.
"""
import hashlib
import inspect
import json
import os
import sys
import time
import warnings

RESULT = "BENCH_RESULT "


def word_images(lmdb_dir, count):
    """The first ``count`` encoded images of the LMDB (repeated if it holds fewer), read by this
    checkout's ppocr/data/lmdb_format.py, loaded by its path whichever library is measured."""
    from _harness import project_module

    lmdb_format = project_module("ppocr", "data", "lmdb_format.py")
    with lmdb_format.open_reader(lmdb_dir, max_readers=4) as env, env.begin() as txn:
        total = lmdb_format.read_count(txn)
        return [bytes(lmdb_format.read_raw(txn, i % total + 1)[1]) for i in range(count)]


def project(spec):
    root = spec["root"]
    if os.path.isfile(os.path.join(root, "tools", "_bootstrap.py")):
        sys.path.insert(0, os.path.join(root, "tools"))
        import _bootstrap  # noqa: F401  what tools/infer/predict_rec.py imports first
    sys.path.insert(0, root)
    from ppocr.inference.predictor import TextRecognizer

    kwargs = {"cpu_threads": spec["cpu_threads"], "batch_size": max(spec["batches"])}
    if spec["backend"] != "paddle":
        kwargs["backend"] = spec["backend"]
    else:
        kwargs["enable_mkldnn"] = spec["mkldnn"]
        if "backend" in inspect.signature(TextRecognizer).parameters:
            kwargs["backend"] = "paddle"
    rec = TextRecognizer(spec["model_dir"], **kwargs)
    arrays = [rec.preprocess(raw) for raw in word_images(spec["lmdb"], max(spec["batches"]))]
    if hasattr(rec, "backend") and hasattr(rec.backend, "run"):  # the model alone, whatever the backend
        run = rec.backend.run
        timed = "backend.run(): input copy + run + output copy"
    elif all(hasattr(rec, a) for a in ("predictor", "input", "output")):  # before the backends existed
        def run(batch):
            rec.input.copy_from_cpu(batch)
            rec.predictor.run()
            return rec.output.copy_to_cpu()
        timed = "input copy + predictor.run() + output copy"
    else:
        raise RuntimeError("this checkout's TextRecognizer has neither .backend.run nor .predictor")
    return arrays, run, timed


def reference(spec):
    import cv2
    import numpy as np

    root = spec["root"]
    sys.path.insert(0, root)
    import tools.infer.utility as utility

    from tools.infer.predict_rec import TextRecognizer

    spin = spec["algorithm"] == "SPIN"
    argv = [f"--rec_model_dir={spec['model_dir']}", "--use_gpu=False", f"--rec_batch_num={max(spec['batches'])}",
            f"--enable_mkldnn={spec['mkldnn']}", "--rec_image_shape=" + ("1,32,100" if spin else "3,32,100"),
            f"--rec_algorithm={spec['algorithm']}", "--show_log=False"]
    argv += (["--rec_char_dict_path=./ppocr/utils/dict/spin_dict.txt", "--use_space_char=False"] if spin
             else ["--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"])
    if spec["cpu_threads"] is not None:
        argv.append(f"--cpu_threads={spec['cpu_threads']}")
    if spec.get("delete_passes"):  # a hand fix of the reference, applied in this process only
        create = utility.inference.create_predictor

        def create_without(config):
            for name in spec["delete_passes"]:
                config.delete_pass(name)
            return create(config)
        utility.inference.create_predictor = create_without
    rec = TextRecognizer(utility.init_args().parse_args(argv))
    arrays = []
    for raw in word_images(spec["lmdb"], max(spec["batches"])):
        img = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
        # its TPS graph takes width 100 only: the narrowest batch width predict_rec would choose
        arrays.append(rec.resize_norm_img_spin(img) if spin else rec.resize_norm_img(img, 100 / 32))

    def run(batch):
        rec.input_tensor.copy_from_cpu(batch)
        rec.predictor.run()
        return [t.copy_to_cpu() for t in rec.output_tensors][0]
    return arrays, run, "input copy + predictor.run() + output copy"


def time_batch(run, batch, warmup, reps, min_seconds):
    """Warm-up runs, then at least ``reps`` runs and ``min_seconds`` of them; seconds per run."""
    for _ in range(warmup):
        out = run(batch)
    times, start = [], time.perf_counter()
    while len(times) < reps or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        out = run(batch)
        times.append(time.perf_counter() - t)
    return times, out


def main():
    spec = json.loads(sys.argv[1])
    warnings.filterwarnings("ignore")
    import numpy as np
    print("spec:", json.dumps(spec), flush=True)

    t = time.perf_counter()
    arrays, run, timed = (project if spec["library"] == "project" else reference)(spec)
    setup = time.perf_counter() - t
    for b in spec["batches"]:
        batch = np.ascontiguousarray(np.stack(arrays[:b]).astype("float32"))
        cpu0 = os.times()
        times, out = time_batch(run, batch, spec["warmup"], spec["reps"], spec["min_seconds"])
        cpu1 = os.times()
        total = sum(times)
        median = sorted(times)[len(times) // 2]
        first = out[0].argmax(-1).tobytes() if isinstance(out, np.ndarray) else repr(out[0]).encode()
        digest = hashlib.sha1(first).hexdigest()[:12]  # image 1's per-step argmax (or reading)
        print(RESULT + json.dumps({
            "batch": b, "runs": len(times), "ms_per_image_median": 1000 * median / b,
            "ms_per_batch_median": 1000 * median, "ms_per_batch_min": 1000 * min(times),
            "images_per_s": b * len(times) / total, "timed": timed, "setup_seconds": setup,
            "cpu_cores_busy": ((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)) / total,
            "first_image_argmax_sha1": digest, "input_shape": list(batch.shape),
            "omp_num_threads_seen": os.environ.get("OMP_NUM_THREADS")}), flush=True)
    os._exit(0)  # skip paddle's exit hooks


if __name__ == "__main__":
    main()
