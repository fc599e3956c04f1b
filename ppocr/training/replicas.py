"""Data parallelism inside one process, for training on a CPU: one model replica per core.

Most of Paddle's CPU kernels that a recogniser's step spends its time in run on one thread (batch
norm, element-wise operations, the LSTM's recurrence, the gradients of pooling), so one process
given N threads leaves most of N - 1 cores idle: two one-thread processes under
``paddle.distributed.launch`` train the MobileNetV3 STAR-Net 1.76x faster than one two-thread
process. ``CpuReplicas`` gets most of that gain in one process (300 steps in 170 s against the
launcher's 330, doc/benchmark.md): it keeps one replica of the model per core and splits each
batch into equal slices; every slice's forward and backward runs on its own thread
(Paddle releases Python's lock inside its operators) with one-thread kernels. The gradients are
then averaged into the model the optimizer updates, weighted by slice size (for a loss averaged
over samples, as CTC's, exactly the whole batch's gradient; for one averaged over characters, as
SPIN's, the slices' means are averaged, as on several devices), and batch norm's running
statistics are averaged the same way. The
replicas share the weights' storage (one copy in memory, updated in place by the optimizer); each
has its own gradients and batch norm statistics. This is synchronous data-parallel training
(batch norm statistics per slice, as on several devices without synchronised batch norm), with one
data loader and one checkpoint.

The replica threads are daemon workers started once per process and kept until it exits; no thread
ends during a run. Paddle's, MKL's and the two OpenMP runtimes' per-thread state is torn down when
a thread ends, and one such end (the pool shut down after the last evaluation of a short run)
aborted a test run with glibc's ``tcache_thread_shutdown(): unaligned tcache chunk detected``
after every checkpoint had been written. A process that exits leaves its daemon threads without
that teardown.

The training step built on it is ``ReplicaStep`` (train_step.py). Example::

    replicas = CpuReplicas(model, 2)
    results = replicas.run(forward_backward, batch)   # [forward_backward(replica, slice) per slice]
    replicas.reduce_gradients(slice_sizes(len(batch["image"]), replicas.count))
    optimizer.step(); optimizer.clear_grad(set_to_zero=False)
    replicas.sync()
"""
import contextlib
import copy
import ctypes
import ctypes.util
import itertools
import queue
import threading
from concurrent.futures import Future

import numpy as np
import paddle

from ppocr.ops import set_native_threads
from ppocr.training import paddle_private
from ppocr.training.paddle_private import BATCH_NORMS, running_statistics, share_storage

M_ARENA_MAX = -8  # glibc's mallopt parameter
THREAD_PREFIX = "ppocr-replica"  # the replica threads' names start with it


def _one_malloc_arena():
    """Have glibc serve every thread from one malloc arena (no-op elsewhere): with one arena per
    replica thread, each holds on to the activations it freed apart from the others (ResNet34_vd
    STAR-Net, batch 32, 2 replicas: peak PSS 2172 -> 2079 MiB, the step as fast)."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def _set_threads(threads):
    """The calling thread's compute threads: Paddle's (MKL and OpenMP) and this project's kernels'."""
    paddle_private.set_kernel_threads(threads)
    set_native_threads(threads)


class _Worker:
    """A daemon thread with one-thread kernels that runs the calls given to it, one at a time, for
    as long as the process lives."""

    def __init__(self, index):
        self._calls = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, name=f"{THREAD_PREFIX}-{index}", daemon=True)
        self.thread.start()

    def submit(self, fn, *args):
        future = Future()
        self._calls.put((future, fn, args))
        return future

    def _serve(self):
        _set_threads(1)
        while True:
            future, fn, args = self._calls.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args))
                except BaseException as e:  # handed to the caller, which re-raises it
                    future.set_exception(e)
            del future, fn, args  # nothing of the last slice kept alive while waiting for the next


_WORKERS = []  # this process's, in start order
_WORKERS_LOCK = threading.Lock()


def _workers(count):
    """``count`` worker threads of this process, started on first need and shared by every
    ``CpuReplicas``."""
    with _WORKERS_LOCK:
        while len(_WORKERS) < count:
            _WORKERS.append(_Worker(len(_WORKERS)))
        return _WORKERS[:count]


def slice_bounds(n, parts):
    """Where ``n`` samples are cut into at most ``parts`` near-equal, non-empty slices."""
    return np.linspace(0, n, min(parts, n) + 1).round().astype(int).tolist()


def slice_sizes(n, parts):
    bounds = slice_bounds(n, parts)
    return [b - a for a, b in itertools.pairwise(bounds)]


def split_batch(batch, parts):
    """``batch`` (a dict of per-sample tensors, arrays and lists) cut into at most ``parts`` slices
    of near-equal size along the sample axis; values without that axis are passed to every slice."""
    n = len(batch["image"])
    bounds = slice_bounds(n, parts)

    def cut(value, a, b):
        if isinstance(value, (paddle.Tensor, np.ndarray, list, tuple)) and len(value) == n:
            return value[a:b]
        return value

    return [{key: cut(value, a, b) for key, value in batch.items()} for a, b in itertools.pairwise(bounds)]


def concat_outputs(outputs):
    """The outputs of the slices joined along the sample axis (tensors, or dicts/lists/tuples of them)."""
    first = outputs[0]
    if isinstance(first, paddle.Tensor):
        return first if len(outputs) == 1 else paddle.concat(outputs, axis=0)
    if isinstance(first, dict):
        return {key: concat_outputs([out[key] for out in outputs]) for key in first}
    if isinstance(first, (list, tuple)):
        return type(first)(concat_outputs(list(parts)) for parts in zip(*outputs))
    return first


def _weights(model, norms):
    """``model``'s parameters but batch norm's running statistics (Paddle keeps them as parameters;
    each replica updates its own in the forward pass)."""
    statistics = {id(t) for layer in norms for t in running_statistics(layer)}
    return [p for p in model.parameters() if id(p) not in statistics]


class CpuReplicas:
    """``count`` copies of ``model`` (the first is ``model`` itself, the one the optimizer updates
    and checkpoints save), each run on its own thread: the calling thread and ``count - 1`` of the
    process's worker threads. Also usable as the model in evaluation:
    calling it on images splits them over the replicas."""

    def __init__(self, model, count, threads_after=None):
        if count < 2:
            raise ValueError(f"CpuReplicas needs at least 2 replicas, got {count}")
        paddle_private.check()
        self.model = model
        self.replicas = [model] + [copy.deepcopy(model) for _ in range(count - 1)]
        self._norms = [[layer for layer in m.sublayers() if isinstance(layer, BATCH_NORMS)] for m in self.replicas]
        self._params = [_weights(m, norms) for m, norms in zip(self.replicas, self._norms)]
        # the threads this thread's kernels get back between steps (the process's budget)
        self._threads_after = int(threads_after or count)
        _one_malloc_arena()  # before the replica threads first allocate
        self.sync()

    @property
    def count(self):
        return len(self.replicas)

    @property
    def training(self):
        return self.model.training

    def train(self):
        for m in self.replicas:
            m.train()

    def eval(self):
        for m in self.replicas:
            m.eval()

    @contextlib.contextmanager
    def _one_thread_kernels(self):
        _set_threads(1)
        try:
            yield
        finally:
            _set_threads(self._threads_after)

    def run(self, fn, batch):
        """``fn(replica, slice)`` for each slice of ``batch`` on its own replica and thread; the
        results in slice order. Every slice has finished when this returns or raises."""
        slices = split_batch(batch, self.count)
        workers = _workers(self.count - 1)
        with self._one_thread_kernels():
            futures = [w.submit(fn, m, s) for w, m, s in zip(workers, self.replicas[1:], slices[1:])]
            try:
                first = fn(self.replicas[0], slices[0])
            finally:
                rest = [f.result() for f in futures]  # waits for all; raises the first failure
        return [first, *rest]

    def __call__(self, images):
        """Inference on ``images`` split over the replicas (no gradients); outputs joined."""
        def forward(model, part):
            with paddle.no_grad():
                return model(part["image"])

        return concat_outputs(self.run(forward, {"image": images}))

    def reduce_gradients(self, samples):
        """Set the first replica's gradients to the slices' average weighted by ``samples`` (each
        slice's sample count) and free the others'."""
        weights = np.asarray(samples, dtype=np.float64) / float(sum(samples))
        with paddle.no_grad():
            for params in zip(*self._params[: len(weights)]):
                grads = [p.grad for p in params]
                if grads[0] is None:
                    continue
                total = grads[0].scale_(float(weights[0]))
                for w, g in zip(weights[1:], grads[1:]):
                    if g is not None:
                        total.add_(g.scale_(float(w)))
            for params in self._params[1:]:
                for p in params:
                    p.clear_gradient(False)
        self._average_norm_statistics(weights)

    def _average_norm_statistics(self, weights):
        if len(weights) < 2:
            return
        with paddle.no_grad():
            for norms in zip(*self._norms[: len(weights)]):
                for stats in zip(*(running_statistics(layer) for layer in norms)):
                    mixed = stats[0] * float(weights[0])
                    for w, s in zip(weights[1:], stats[1:]):
                        mixed = mixed + s * float(w)
                    paddle.assign(mixed, output=stats[0])

    def sync(self):
        """Give the other replicas the first one's weights (shared storage: the optimizer's in-place
        update reaches them all; re-shared if the first replica's storage was replaced, as a load
        does) and a copy of its batch norm statistics."""
        with paddle.no_grad():
            for params in self._params[1:]:
                for source, target in zip(self._params[0], params):
                    if target.data_ptr() != source.data_ptr():
                        share_storage(source, target)
            for norms in self._norms[1:]:
                for source, target in zip(self._norms[0], norms):
                    for a, b in zip(running_statistics(source), running_statistics(target)):
                        paddle.assign(a, output=b)
