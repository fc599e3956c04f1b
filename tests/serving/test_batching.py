"""MicroBatcher: one thread runs the model, never two calls at once; concurrent requests share a
call; each request gets its own results in order; errors, overload and stop reach the callers."""
import asyncio
import threading
import time

import pytest

from ppocr.serving.batching import Busy, MicroBatcher, Stopped


class FakeModel:
    """``recognize`` echoes its inputs (x -> ('x', x)) slowly, and records every call's thread and size."""

    def __init__(self, delay=0.01, fail_on=None):
        self.delay, self.fail_on = delay, fail_on
        self.sizes, self.threads, self.overlaps = [], set(), 0
        self._busy = threading.Lock()

    def recognize(self, inputs):
        if not self._busy.acquire(blocking=False):
            self.overlaps += 1
            self._busy.acquire()
        try:
            self.sizes.append(len(inputs))
            self.threads.add(threading.get_ident())
            time.sleep(self.delay)
            if self.fail_on is not None and self.fail_on in inputs:
                raise RuntimeError("model failed")
            return [(str(x), float(x)) for x in inputs]
        finally:
            self._busy.release()


async def request(batcher, inputs, decode_delay=0.0):
    with batcher.arrival() as arrival:
        await asyncio.sleep(decode_delay)  # decoding, as the service does, before the request is queued
        return await arrival.submit(inputs)


def started(model, **options):
    batcher = MicroBatcher(lambda: model, **options)
    batcher.start()
    return batcher


def test_concurrent_requests_share_model_calls_from_one_thread_in_order():
    model = FakeModel()
    batcher = started(model, max_batch=16, window=0.05)

    async def main():
        requests = [list(range(10 * i, 10 * i + 1 + i % 3)) for i in range(40)]
        answers = await asyncio.gather(*(request(batcher, r, decode_delay=0.001 * (i % 5)) for i, r in enumerate(requests)))
        return requests, answers

    requests, answers = asyncio.run(main())
    batcher.stop()
    for inputs, answer in zip(requests, answers):
        assert answer == [(str(x), float(x)) for x in inputs]
    assert model.overlaps == 0 and len(model.threads) == 1 and threading.get_ident() not in model.threads
    assert sum(model.sizes) == sum(map(len, requests))
    assert len(model.sizes) < len(requests) / 2, f"requests were not batched together: {model.sizes}"
    assert max(model.sizes) <= 16 + 2  # gathering stops at max_batch (a request is never split)


def test_a_lone_request_does_not_wait_for_the_window():
    batcher = started(FakeModel(delay=0.0), window=5.0)

    async def main():
        start = time.monotonic()
        answer = await request(batcher, [7])
        return answer, time.monotonic() - start

    answer, elapsed = asyncio.run(main())
    batcher.stop()
    assert answer == [("7", 7.0)]
    assert elapsed < 1.0, f"a lone request waited {elapsed:.2f} s for the 5 s window"


def test_a_model_error_reaches_every_request_of_its_batch_and_the_next_batch_runs():
    model = FakeModel(fail_on=13)
    batcher = started(model, window=0.0)

    async def main():
        with pytest.raises(RuntimeError, match="model failed"):
            await request(batcher, [12, 13])
        return await request(batcher, [14])

    assert asyncio.run(main()) == [("14", 14.0)]
    batcher.stop()


def test_more_pending_images_than_the_limit_is_busy():
    model = FakeModel(delay=0.3)
    batcher = started(model, max_batch=1, window=0.0, max_pending=3)

    async def main():
        first = asyncio.ensure_future(request(batcher, [1]))
        await asyncio.sleep(0.1)  # the thread is running [1]: [2, 3, 4] wait, [5] is one too many
        second = asyncio.ensure_future(request(batcher, [2, 3, 4]))
        await asyncio.sleep(0.01)
        with pytest.raises(Busy):
            await request(batcher, [5])
        return await first, await second

    assert asyncio.run(main()) == ([("1", 1.0)], [("2", 2.0), ("3", 3.0), ("4", 4.0)])
    batcher.stop()


def test_load_error_is_raised_by_start_and_a_stopped_batcher_refuses():
    def broken():
        raise ValueError("no model here")

    with pytest.raises(ValueError, match="no model here"):
        MicroBatcher(broken).start()
    batcher = started(FakeModel())
    batcher.stop()
    with pytest.raises(Stopped):
        asyncio.run(request(batcher, [1]))
