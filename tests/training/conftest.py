"""Every CpuReplicas a test makes is closed when the test ends, so its threads never outlive it: the
tests that count the replica threads would otherwise see another test's, left to the garbage
collector's timing."""
import pytest

from ppocr.training.replicas import CpuReplicas


@pytest.fixture(autouse=True)
def _close_replicas(monkeypatch):
    made = []
    original = CpuReplicas.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(CpuReplicas, "__init__", recording_init)
    yield
    for replicas in made:
        replicas.close()
