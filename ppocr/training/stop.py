"""Stopping a training run cleanly on SIGINT (Ctrl-C) or SIGTERM (a job scheduler, ``kill``)."""
import signal


class StopRequested(Exception):
    """A stop signal arrived: the loop saves ``latest`` and leaves. ``args[0]``: the signal."""


class StopSignals:
    """While active, SIGINT/SIGTERM only record the signal; the training loop checks it between
    batches, saves ``latest`` and stops. A second signal stops at once (KeyboardInterrupt): the
    last complete checkpoint stays readable, since every checkpoint write is atomic.

    Example::

        with StopSignals() as stop:
            for batch in loader:
                if stop:
                    raise StopRequested(stop[0])
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.requested = []
        self._previous = {}

    def __bool__(self):
        return bool(self.requested)

    def __getitem__(self, i):
        return self.requested[i]

    def __enter__(self):
        for sig in self.SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt(f"second stop signal ({signal.Signals(signum).name})")
        self.requested.append(signal.Signals(signum))

    def __exit__(self, *exc):
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
