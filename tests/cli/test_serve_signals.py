"""Ctrl-C stops ``tools/serve.py`` gracefully, every time: SIGINT sent to the tool's process group
(as a terminal sends it) lets the request in flight finish with its answer, runs the service's
shutdown, prints ``stopped by SIGINT`` and exits 130, with no traceback. Repeated because the
failure it guards against (two SIGINTs, one from the terminal and one forwarded by the crash
guard, and asyncio turning the re-raised one into a cancelled task) came and went from run to run.

The request in flight is held open deterministically: it asks ``Expect: 100-continue``, so the
service says when its route is waiting for the body; the signal is sent then, and the body only
once uvicorn logs that it is waiting for open connections to close.
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from ppocr.inference.predictor import TextRecognizer
from tests.helpers.e2e import REPO
from tests.helpers.serving import free_port, wait_until_healthy

pytestmark = [pytest.mark.subprocess_tools]

RUNS = 10
IMAGE = REPO / "doc" / "imgs_words_en" / "word_10.png"


@pytest.fixture(scope="module")
def expected_reading(shipped_onnx):
    text, score = TextRecognizer(shipped_onnx, cpu_threads=1)([IMAGE.read_bytes()])[0]
    return text, score


def start_server(model_dir, folder, *flags):
    """tools/serve.py as the leader of its own process group, its stdout and stderr in two files."""
    port = free_port()
    out, err = folder / "stdout.log", folder / "stderr.log"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen([sys.executable, "tools/serve.py", f"--rec_model_dir={model_dir}", f"--port={port}",
                                 "--cpu_threads=1", *flags], cwd=REPO, stdout=stdout, stderr=stderr,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    return proc, port, out, err


def stop_if_running(proc):
    """After a failed test: SIGTERM to the group (the guard forwards it), SIGKILL if that does not end it."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the server child follows its killed parent (crash_guard)
        proc.wait()


def request_waiting_for_its_body(port, body):
    """A connected socket whose POST /predict the route is reading: the service has said 100 Continue."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(f"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                 f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode("ascii"))
    interim = b""
    while not interim.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)
        assert byte, f"the connection closed before 100 Continue: {interim!r}"
        interim += byte
    assert interim.startswith(b"HTTP/1.1 100"), interim
    return sock


def wait_for_line(path, text, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while text not in path.read_text(errors="replace"):
        assert proc.poll() is None, f"tools/serve.py exited with {proc.returncode} before {text!r}:\n{path.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} in {seconds} s:\n{path.read_text()}"
        time.sleep(0.05)


def interrupt_with_a_request_in_flight(model_dir, folder, *flags):
    """-> (the in-flight request's status and JSON, the exit status, stdout, stderr)."""
    proc, port, out, err = start_server(model_dir, folder, *flags)
    try:
        wait_until_healthy(proc, port, err)
        body = IMAGE.read_bytes()
        sock = request_waiting_for_its_body(port, body)
        os.killpg(proc.pid, signal.SIGINT)
        wait_for_line(err, "Waiting for connections to close", proc)
        sock.sendall(body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        answer = (response.status, json.loads(response.read()))
        sock.close()
        code = proc.wait(timeout=60)
    finally:
        stop_if_running(proc)
    return answer, code, out.read_text(errors="replace"), err.read_text(errors="replace")


def check_stopped_gracefully(answer, code, stdout, stderr, expected_reading, workers=1):
    status, reading = answer
    assert status == 200 and reading["text"] == expected_reading[0], answer
    assert abs(reading["score"] - expected_reading[1]) < 1e-4
    assert code == 128 + signal.SIGINT, f"exit status {code}:\n{stderr[-3000:]}"
    assert stderr.rstrip().endswith("stopped by SIGINT"), stderr[-3000:]
    assert "Traceback" not in stderr and "CancelledError" not in stderr, stderr[-3000:]
    assert stdout.count("service stopped after") == workers, stdout  # the service's own shutdown ran


@pytest.mark.parametrize("run", range(RUNS))
def test_ctrl_c_drains_the_request_in_flight_and_exits_130(run, shipped_onnx, expected_reading, tmp_path):
    check_stopped_gracefully(*interrupt_with_a_request_in_flight(shipped_onnx, tmp_path), expected_reading)


def test_ctrl_c_with_several_workers_stops_them_all_and_exits_130(shipped_onnx, expected_reading, tmp_path):
    answer, code, stdout, stderr = interrupt_with_a_request_in_flight(shipped_onnx, tmp_path, "--workers=2")
    check_stopped_gracefully(answer, code, stdout, stderr, expected_reading, workers=2)
