"""Stop signals (ppocr/training/stop.py): the first SIGINT/SIGTERM is only recorded (the loop saves
and stops between batches), a second one stops at once; the previous handlers come back."""
import os
import signal

import pytest

from ppocr.training.stop import StopSignals


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_first_signal_is_recorded_second_stops_at_once(sig):
    before = signal.getsignal(sig)
    with StopSignals() as stop:
        assert not stop
        os.kill(os.getpid(), sig)
        assert stop and stop[0] == sig and stop[0].name == sig.name
        with pytest.raises(KeyboardInterrupt, match="second stop signal"):
            os.kill(os.getpid(), sig)
    assert signal.getsignal(sig) is before
