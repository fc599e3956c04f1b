"""Requests per second and latency of tools/serve.py on loopback, at 1, 4 and 16 concurrent clients.

    python benchmark/serve_speed.py                       # the shipped STAR-Net, onnxruntime
    python benchmark/serve_speed.py --backend paddle --clients 1 4 16 --requests 300 --seconds 30

Starts tools/serve.py on 127.0.0.1 on a free port (the shipped model by default; a temporary copy
gets inference.onnx when the backend is onnxruntime and the folder has none), sends single-image
POST /predict requests with the bundled samples from N client threads, each level bounded by a
request count and a time limit, then stops the server with SIGTERM. Prints a markdown table:
requests/s, p50 and p99 latency, and images per model call (how much the service batched).
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ppocr.export.model_folder import has_onnx  # noqa: E402
from ppocr.serving.service_client import ServiceClient  # noqa: E402

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def model_folder(args, tmp):
    """The folder to serve: the given one, or the shipped model (with ONNX added in a copy if needed)."""
    folder = Path(args.rec_model_dir or SHIPPED)
    if args.backend == "onnxruntime" and not has_onnx(str(folder)):
        from ppocr.export.onnx_export import export_onnx

        copy = Path(tmp) / "inference"
        shutil.copytree(folder, copy)
        export_onnx(str(copy))
        folder = copy
    return folder


def start_server(folder, args, log):
    port = free_port()
    command = [sys.executable, str(REPO / "tools" / "serve.py"), f"--rec_model_dir={folder}", "--host=127.0.0.1",
               f"--port={port}", f"--backend={args.backend}", f"--rec_batch_num={args.rec_batch_num}",
               f"--batch_window_ms={args.batch_window_ms}"]
    if args.cpu_threads:
        command.append(f"--cpu_threads={args.cpu_threads}")
    proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    client = ServiceClient("127.0.0.1", port, timeout=60)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if client.health()[0] == 200:
                return proc, client
        except OSError:
            time.sleep(0.25)
    stop_server(proc)
    raise SystemExit(f"tools/serve.py did not come up (see {log.name})")


def stop_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(client, images, clients, requests, seconds):
    """(requests done, wall seconds, sorted latencies in ms, failures) for ``clients`` threads."""
    deadline = time.monotonic() + seconds
    per_client = max(1, requests // clients)

    def one_client(index):
        latencies, failures = [], 0
        for k in range(per_client):
            if time.monotonic() > deadline:
                break
            start = time.perf_counter()
            status, _ = client.predict(images[(index * per_client + k) % len(images)])
            latencies.append(1000 * (time.perf_counter() - start))
            failures += status != 200
        return latencies, failures

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one_client, range(clients)))
    wall = time.perf_counter() - start
    latencies = sorted(ms for done, _ in results for ms in done)
    return len(latencies), wall, latencies, sum(f for _, f in results)


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(round(q / 100 * (len(sorted_values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rec_model_dir", default=None, help="an exported folder (default: the shipped STAR-Net)")
    parser.add_argument("--backend", choices=["onnxruntime", "paddle"], default="onnxruntime")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--requests", type=int, default=200, help="requests per level, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per level, at most")
    parser.add_argument("--rec_batch_num", type=int, default=16)
    parser.add_argument("--batch_window_ms", type=float, default=3.0)
    parser.add_argument("--cpu_threads", type=int, default=None)
    args = parser.parse_args()
    images = [p.read_bytes() for p in sorted((REPO / "doc" / "imgs_words_en").glob("*.png"))]
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "serve.log", "wb") as log:
        folder = model_folder(args, tmp)
        proc, client = start_server(folder, args, log)
        try:
            measure(client, images, 4, 20, 30)  # warm-up: first calls build kernels and caches
            rows = []
            for clients in args.clients:
                batches = client.health()[1]["batches"]
                done, wall, latencies, failures = measure(client, images, clients, args.requests, args.seconds)
                calls = client.health()[1]["batches"] - batches
                rows.append(f"| {clients} | {done} | {done / wall:.1f} | {percentile(latencies, 50):.1f} | "
                            f"{percentile(latencies, 99):.1f} | {done / max(calls, 1):.1f} | {failures} |")
        finally:
            stop_server(proc)
    print(f"tools/serve.py, {args.backend}, {folder.name if args.rec_model_dir else 'shipped STAR-Net (MobileNetV3)'}, "
          f"rec_batch_num {args.rec_batch_num}, window {args.batch_window_ms} ms, {os.cpu_count()} cores, "
          "single-image POST /predict (multipart) on 127.0.0.1\n")
    print("| clients | requests | requests/s | p50 ms | p99 ms | images per model call | failed |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
