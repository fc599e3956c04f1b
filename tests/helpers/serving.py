"""Helpers for the tests that run ``tools/serve.py`` as a subprocess: a free port, waiting
until the server answers (or failing with the end of its log if it exited), and stopping it."""
import contextlib
import signal
import socket
import subprocess
import sys
import time

from ppocr.serving.service_client import ServiceClient
from tests.helpers.e2e import REPO


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


def stop_server(proc, seconds=30):
    """SIGTERM (which the server handles, unlike SIGKILL), then SIGKILL if it has not ended in ``seconds``."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def served(model_dir, log, *options):
    """``tools/serve.py --rec_model_dir=model_dir`` on a free port with one compute thread, its
    output in the file ``log``: yields the port once the server answers, stops it afterwards."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "tools/serve.py", f"--rec_model_dir={model_dir}", f"--port={port}",
                                 "--cpu_threads=1", *options], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        wait_until_healthy(proc, port, log)
        yield port
    finally:
        stop_server(proc)
