"""What train_speed.py and predict_speed.py share: thread settings, running one measurement in a
child process (own interpreter, own working folder, timeout, memory sampled from outside), the
machine and its versions, the machine's matrix-product rate, and markdown tables.

Runs under the harness's own interpreter; imports neither library (both have a package ``ppocr``).
"""
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULT = "BENCH_RESULT "  # a child's result lines start with this, followed by JSON
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def project_module(*parts):
    """A module of this checkout loaded by its path (``project_module("ppocr", "utils", "cpu.py")``):
    no ``import ppocr``, which in a child of the reference would be the reference's."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("_project_" + parts[-1][:-3], os.path.join(HERE, "..", *parts))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mkl_kernel_choices():
    """The ``MKL_DEBUG_CPU_TYPE`` values worth measuring here: ('5', '7') on an AMD CPU with AVX-512,
    ('5',) with AVX2 only, () elsewhere (ppocr/utils/cpu.py)."""
    cpu = project_module("ppocr", "utils", "cpu.py")
    best = cpu.fast_mkl_type(*cpu.cpu_info())
    return {"7": ("5", "7"), "5": ("5",)}.get(best, ())


def cores():
    """CPUs this process may run on (its affinity), which is what 'threads = cores' means here."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def parse_threads(values):
    """['default', 'cores', '4'] -> ['default', 2, 4] (without repeats, order kept)."""
    out = []
    for v in values:
        v = str(v).strip().lower()
        setting = "default" if v == "default" else cores() if v == "cores" else int(v)
        if setting not in out:
            out.append(setting)
    return out


def thread_env(setting, extra=None):
    """The environment of a child: 'default' removes OMP/MKL_NUM_THREADS (what a user gets who set
    nothing), an integer sets both to it."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
    if setting != "default":
        env.update({k: str(setting) for k in THREAD_VARS})
    env["PYTHONWARNINGS"] = "ignore"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def parse_env(pairs):
    """['VAR=value', ...] -> {VAR: value}: extra environment for every child of a run."""
    env = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"--env {pair!r}: expected VAR=value, e.g. --env MKL_DEBUG_CPU_TYPE=5")
        env[key] = value
    return env


def thread_label(setting):
    return "default (OMP/MKL unset)" if setting == "default" else f"OMP=MKL={setting}"


# ---- one measurement in a child process ------------------------------------------------------
def _children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def _memory(pid):
    """(RSS, PSS) in MiB of one process, from /proc; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss / 1024, pss / 1024


class TreeMemory(threading.Thread):
    """Samples the child and all its descendants (the loader workers) every ``period`` seconds:
    the peak of the summed PSS (shared pages counted once, split among their sharers) and of the
    summed RSS (shared pages counted in every process), and the most workers seen at once."""

    def __init__(self, pid, period=0.2):
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.peak_pss = self.peak_rss = 0.0
        self.max_children = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(_children(p))
            sums = [sum(col) for col in zip(*(_memory(p) for p in tree))]
            self.peak_rss = max(self.peak_rss, sums[0])
            self.peak_pss = max(self.peak_pss, sums[1])
            self.max_children = max(self.max_children, len(tree) - 1)
            self.done.wait(self.period)


def run_child(python, script, spec, env, cwd, timeout, log_path=None):
    """Run ``python script 'JSON spec'`` in ``cwd`` in its own session; never longer than
    ``timeout`` s (the whole process group is then killed). Returns
    ``{"status": "ok"|"fails"|"timeout", "results": [...], "error": str, "memory": {...}, "seconds"}``;
    ``results`` are the JSON objects the child printed on ``BENCH_RESULT`` lines, so a child that
    crashes half-way keeps what it measured before."""
    start = time.perf_counter()
    log = open(log_path, "w") if log_path else None
    proc = subprocess.Popen([python, script, json.dumps(spec)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    results, lines = [], []

    def read():
        for line in proc.stdout:
            if line.startswith(RESULT):
                results.append(json.loads(line[len(RESULT):]))
            else:
                lines.append(line.rstrip())
                if log:
                    log.write(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    _kill(proc)  # on a timeout the child, else any loader worker it left behind (its own session)
    proc.wait()
    reader.join(10)
    sampler.done.set()
    sampler.join()
    if log:
        log.close()
    status, error = "ok", ""
    if timed_out:
        status, error = "timeout", f"killed after {timeout:.0f} s"
    elif proc.returncode != 0:
        status, error = "fails", _last_error(lines, proc.returncode)
    return {"status": status, "results": results, "error": error, "seconds": round(time.perf_counter() - start, 1),
            "memory": {"peak_tree_pss_mib": round(sampler.peak_pss, 1), "peak_tree_rss_mib": round(sampler.peak_rss, 1),
                       "max_child_processes": sampler.max_children}}


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def _last_error(lines, code):
    """The exit code or signal and the last line that names an error, for a table cell."""
    what = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
    lines = [ln.strip() for ln in lines if ln.strip()]
    errs = [ln for ln in lines if any(w in ln for w in ("Error", "error:", "Exception", "Fatal", "FATAL"))]
    tail = (errs or lines or [""])[-1]
    return f"{what}: {tail[:300]}" if tail else what


# ---- machine and versions --------------------------------------------------------------------
def machine():
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        model = names[0] if names else model
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            mem_gib = int(f.readline().split()[1]) / 1024 ** 2
    except (OSError, ValueError, IndexError):
        mem_gib = None
    return {"cpu": model, "cores_affinity": cores(), "cpu_count": os.cpu_count(),
            "memory_gib": round(mem_gib, 1) if mem_gib else None, "kernel": platform.release(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


VERSIONS = r"""
import ctypes, glob, json, os, sys, warnings
warnings.filterwarnings("ignore")
import numpy, paddle
info = {"python": sys.version.split()[0], "executable": sys.executable, "paddle": paddle.__version__,
        "paddle_commit": paddle.version.commit, "numpy": numpy.__version__}
for lib in sorted(glob.glob(os.path.join(os.path.dirname(paddle.__file__), "libs", "libdnnl.so*"))):
    class V(ctypes.Structure):
        _fields_ = [("major", ctypes.c_int), ("minor", ctypes.c_int), ("patch", ctypes.c_int), ("hash", ctypes.c_char_p)]
    fn = ctypes.CDLL(lib).dnnl_version
    fn.restype = ctypes.POINTER(V)
    v = fn().contents
    info["onednn"] = f"{v.major}.{v.minor}.{v.patch} ({v.hash.decode()[:10]})"
    break
print(json.dumps(info))
"""


def versions(python):
    """Versions of python, paddle, numpy and paddle's bundled oneDNN under ``python``."""
    proc = subprocess.run([python, "-c", VERSIONS], capture_output=True, text=True, timeout=300,
                          env=thread_env("default"))
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}


MATMUL = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
n, which = int(sys.argv[1]), sys.argv[2]
import numpy as np
a = np.random.default_rng(0).random((n, n), dtype=np.float32)
b = np.random.default_rng(1).random((n, n), dtype=np.float32)
if which == "paddle":
    import paddle
    a, b = paddle.to_tensor(a), paddle.to_tensor(b)
    mm = lambda: paddle.matmul(a, b).numpy()
else:
    mm = lambda: a @ b
mm()
times = []
for _ in range(5):
    start = time.perf_counter()
    mm()
    times.append(time.perf_counter() - start)
best = min(times)
print(json.dumps({"gflops": round(2 * n ** 3 / best / 1e9, 1)}))
"""


def matmul_rate(python, which, setting, n=2048, extra_env=None):
    """Best of 5 float32 n x n matrix products, GFLOP/s (2 n^3 / s), numpy or paddle.matmul."""
    proc = subprocess.run([python, "-c", MATMUL, str(n), which], capture_output=True, text=True, timeout=300,
                          env=thread_env(setting, extra_env))
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])["gflops"]
    except (IndexError, ValueError, KeyError):
        return None


# ---- output -----------------------------------------------------------------------------------
def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def sig(value, digits=3):
    """A rate with ``digits`` significant figures (0.214, 21.3, 214)."""
    if value is None:
        return "–"
    return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:.0f}"


def ratio(project, reference):
    if project is None or reference is None or reference == 0:
        return "–"
    return f"{project / reference:.2f}×"


def command_line():
    return " ".join([os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else sys.executable]
                    + [a if a and " " not in a else repr(a) for a in sys.argv])


def header_block(title, info):
    m, lines = info["machine"], [f"# {title}", ""]
    lines.append(f"- machine: {m['cpu']}, {m['cores_affinity']} cores usable ({m['cpu_count']} online), "
                 f"{m['memory_gib']} GiB, Linux {m['kernel']}; load average at start {m['load_average_at_start']}")
    for name, v in info["versions"].items():
        lines.append(f"- {name}: python {v.get('python')}, paddle {v.get('paddle')} ({str(v.get('paddle_commit'))[:10]}), "
                     f"numpy {v.get('numpy')}, oneDNN {v.get('onednn', '?')} — {v.get('executable')}")
    lines.append(f"- command: `{info['command']}`")
    if info.get("extra_env"):
        lines.append(f"- extra environment of every child: {info['extra_env']}")
    lines.append(f"- started {info['started']}, took {info.get('seconds', '?')} s")
    return "\n".join(lines)


def write_results(out, payload, markdown, text):
    """The raw figures to ``out`` (JSON), the tables to ``markdown`` if given, and to stdout."""
    with open(out, "w") as f:
        json.dump(payload, f, indent=1)
    if markdown:
        with open(markdown, "w") as f:
            f.write(text + "\n")
    print(text)
