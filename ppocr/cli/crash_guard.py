"""Native crashes as one line: a tool's work runs in a child process watched by a parent that
imports nothing heavy, so a fatal signal inside Paddle's C++ code (a oneDNN kernel, a corrupt
heap) ends the tool with one line on stderr and exit status 128 + the signal, never a hang.

The child also has Paddle's own fatal-signal handler switched off (``TextRecognizer`` does it):
that handler prints a C++ stack with ``backtrace_symbols``, which calls ``malloc`` and so
deadlocks on the heap the crash has just corrupted.

Example (a tool's last lines)::

    if __name__ == "__main__":
        run_guarded("ppocr.cli.predict_rec:main", doing="predict_rec")
"""
import importlib
import os
import signal
import subprocess
import sys

CHILD_FLAG = "PPOCR_GUARDED_CHILD"
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run_guarded(target, doing):
    """Run ``target`` ('module:function') under ``program.run`` in a child process of this script."""
    if os.environ.get(CHILD_FLAG) == "1":
        _stop_with_parent()
        module, _, name = target.partition(":")
        from ppocr.cli.startup import run

        run(getattr(importlib.import_module(module), name))
        return
    child = subprocess.Popen([sys.executable, os.path.abspath(sys.argv[0]), *sys.argv[1:]],
                             env={**os.environ, CHILD_FLAG: "1"})
    forwarded = set()

    def forward(received, _frame):
        forwarded.add(received)
        child.send_signal(received)

    # a signal meant for the tool (Ctrl-C, a scheduler's SIGTERM) goes to the child, which stops cleanly
    for signum in _FORWARDED:
        signal.signal(signum, forward)
    code = child.wait()
    if code < 0 and -code in forwarded:  # the child stopped, as asked, by re-raising the signal (uvicorn does)
        print(f"stopped by {signal.Signals(-code).name}", file=sys.stderr)
        sys.exit(128 - code)
    if code < 0:
        name = signal.Signals(-code).name
        print(f"error: {doing} crashed with {name} inside native code (Paddle, onnxruntime or OpenCV; not a Python "
              "error); retry with --enable_mkldnn=False or --cpu_threads=1 and report the model folder", file=sys.stderr)
        sys.exit(128 - code)
    sys.exit(code)


def _stop_with_parent():
    """Linux: the child gets SIGTERM when the watching parent dies, even of SIGKILL (which the parent
    cannot forward), so a killed ``tools/serve.py`` leaves no server behind."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))
