"""Helpers for the tests that run ``tools/serve.py`` as a subprocess: a free port, and waiting
until the server answers (or failing with the end of its log if it exited)."""
import socket
import time

from ppocr.serving.service_client import ServiceClient


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(proc, port, log, seconds=120):
    """Poll ``GET /health`` until it answers 200; ``log``: the file holding the server's output."""
    client = ServiceClient("127.0.0.1", port, timeout=10)
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, f"tools/serve.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
        try:
            if client.health()[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"no answer from tools/serve.py in {seconds} s:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)
