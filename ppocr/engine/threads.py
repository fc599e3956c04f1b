"""How many compute threads a process uses on the CPU: every core it is given, unless the user
says otherwise with ``OMP_NUM_THREADS``.

Paddle sets ``OMP_NUM_THREADS=1`` when it is imported and the variable is unset, so a tool must
decide before Paddle loads: each tool's first import (``tools/_bootstrap.py``) calls
``use_all_cores()``. Nothing here imports Paddle.

Example::

    from ppocr.engine.threads import use_all_cores
    use_all_cores()   # OMP_NUM_THREADS = the cores of this process's CPU affinity, shared by the
    import paddle     # processes paddle.distributed.launch started on this machine
"""
import os

from ppocr.utils.cpu import prefer_fast_mkl  # noqa: F401  (the tools' other start-up setting)

# the variables the compute libraries under Paddle read when they load
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def available_cores():
    """The cores this process may run on (its CPU affinity, which a container or taskset narrows)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def processes_on_this_machine(environ=None):
    """Training processes sharing this machine's cores (``paddle.distributed.launch`` sets these)."""
    environ = os.environ if environ is None else environ
    for name in ("PADDLE_LOCAL_SIZE", "PADDLE_TRAINERS_NUM"):
        value = environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def use_all_cores(environ=None):
    """Set ``OMP_NUM_THREADS`` (and ``MKL_NUM_THREADS``) to this process's share of the cores unless
    the user set it; returns the thread count in force."""
    environ = os.environ if environ is None else environ
    given = environ.get("OMP_NUM_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    threads = max(1, available_cores() // processes_on_this_machine(environ))
    for name in THREAD_VARIABLES:
        environ.setdefault(name, str(threads))
    return threads


def default_cpu_threads():
    """The threads a tool uses: ``OMP_NUM_THREADS`` (the user's, or ``use_all_cores``'s), else every core."""
    given = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else available_cores()
