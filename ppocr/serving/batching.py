"""One inference thread for many concurrent requests, whose images it runs together.

The model (a ``TextRecognizer``) is built in the thread and only ever called from it, so two
requests never run the predictor at once. The thread takes the first waiting request, adds every
request already queued, and, while other requests are still being decoded (``arrival()`` counts
them), waits up to ``window`` seconds for them: a lone client pays no window, concurrent clients
share one model call. It stops gathering at ``max_batch`` images; ``max_pending`` images waiting
at most, beyond which ``submit`` raises ``Busy`` (the service answers 503).

Example (inside a coroutine)::

    batcher = MicroBatcher(lambda: TextRecognizer("inference/rec_starnet"), max_batch=32, window=0.003)
    batcher.start()                        # builds the model in its thread; raises its error
    with batcher.arrival() as arrival:     # a request on its way
        arrays = [batcher.model.prepare(raw) for raw in images]
        results = await arrival.submit(arrays)   # [(text, score)] in order
    batcher.stop()
"""
import asyncio
import logging
import queue
import threading
import time

logger = logging.getLogger("ppocr")
_STOP = object()


class Busy(Exception):
    """More images are waiting than ``max_pending``."""


class Stopped(Exception):
    """The batcher stopped before the request was run."""


class _Request:
    __slots__ = ("inputs", "future", "loop")

    def __init__(self, inputs, future, loop):
        self.inputs, self.future, self.loop = inputs, future, loop


def _settle(future, result=None, error=None):
    if future.done():  # the client went away and its coroutine was cancelled
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class _Arrival:
    """A request being decoded; ``submit`` queues it (once) and awaits its results."""

    def __init__(self, batcher):
        self.batcher, self.queued = batcher, False

    async def submit(self, inputs):
        self.queued = True
        return await self.batcher._submit(inputs)

    def __enter__(self):
        with self.batcher._lock:
            self.batcher._arriving += 1
        return self

    def __exit__(self, *exc):
        if not self.queued:
            with self.batcher._lock:
                self.batcher._arriving -= 1
        return False


class MicroBatcher:
    """See the module docstring. ``load()`` returns an object with ``recognize(list) -> list``."""

    def __init__(self, load, max_batch=32, window=0.003, max_pending=1024):
        self._load, self.max_batch, self.window, self.max_pending = load, int(max_batch), float(window), int(max_pending)
        self._queue = queue.Queue()
        self._lock = threading.Lock()
        self._arriving = 0
        self.pending = 0  # images queued, not yet taken by the thread
        self.model = None
        self.batches = 0
        self._thread = None
        self._ready = threading.Event()
        self._load_error = None

    def start(self):
        """Start the thread and wait until it has built the model (its error is raised here)."""
        self._thread = threading.Thread(target=self._work, name="ppocr-inference", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._load_error is not None:
            raise self._load_error

    def stop(self, timeout=30.0):
        """Let the thread finish the batch in hand, then fail whatever is still queued with ``Stopped``."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def arrival(self):
        return _Arrival(self)

    async def _submit(self, inputs):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            self._arriving -= 1
            if self.pending + len(inputs) > self.max_pending:
                raise Busy(f"{self.pending} images are waiting (at most {self.max_pending})")
            if not self._thread or not self._thread.is_alive():
                raise Stopped("the inference thread is not running")
            self.pending += len(inputs)
            self._queue.put(_Request(list(inputs), future, loop))
        return await future

    def _gather(self, first):
        """``first`` and the requests that join it (see the module docstring)."""
        batch, size = [first], len(first.inputs)
        deadline = time.monotonic() + self.window
        while size < self.max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                left = deadline - time.monotonic()
                if self._arriving == 0 or left <= 0:
                    break
                try:
                    item = self._queue.get(timeout=left)
                except queue.Empty:
                    break
            if item is _STOP:
                self._queue.put(_STOP)
                break
            batch.append(item)
            size += len(item.inputs)
        with self._lock:
            self.pending -= size
        return batch

    def _work(self):
        try:
            self.model = self._load()
        except BaseException as e:  # noqa: BLE001  (handed to start())
            self._load_error = e
            return
        finally:
            self._ready.set()
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            batch = self._gather(item)
            try:
                results = self.model.recognize([x for request in batch for x in request.inputs])
                error = None
            except Exception as e:  # noqa: BLE001  (every request of the batch gets it)
                logger.exception("inference failed on a batch of %d requests", len(batch))
                results, error = None, e
            self.batches += 1
            start = 0
            for request in batch:
                part = None if error else results[start : start + len(request.inputs)]
                start += len(request.inputs)
                request.loop.call_soon_threadsafe(_settle, request.future, part, error)
        self._fail_queued()

    def _fail_queued(self):
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP:
                item.loop.call_soon_threadsafe(_settle, item.future, None, Stopped("the service is stopping"))
