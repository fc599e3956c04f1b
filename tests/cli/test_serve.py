"""``tools/serve.py`` end to end: started on 127.0.0.1 on a free port, 240 requests from 16
concurrent clients (single images as multipart or raw body, batches, and bad requests mixed in,
among them 20000 x 20000 PNGs and JPEGs past Pillow's decompression-bomb threshold) each get the
answer ``TextRecognizer`` gives directly, or the 4xx their fault calls for; the
service batched concurrent requests together; SIGTERM stops it cleanly (exit status 143, its
shutdown logged, the port closed)."""
import random
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import pytest

from ppocr.inference.predictor import TextRecognizer
from ppocr.serving.service_client import ServiceClient, encode_multipart
from tests.helpers.e2e import REPO
from tests.helpers.image_headers import jpeg_declaring, png_declaring
from tests.helpers.serving import free_port, stop_server, wait_until_healthy

pytestmark = [pytest.mark.subprocess_tools, pytest.mark.onnx_export]

REQUESTS, CLIENTS = 240, 16
LIMITS = {"max_body_bytes": 1_000_000, "max_image_pixels": 1_000_000, "max_batch_images": 8}


def good_images():
    """[(filename, encoded bytes)]: the bundled samples as PNG, some as JPEG and as grey PNG."""
    images = []
    for path in sorted((REPO / "doc" / "imgs_words_en").glob("*.png")):
        images.append((path.name, path.read_bytes()))
    for path in sorted((REPO / "doc" / "imgs_words_en").glob("*.png"))[:4]:
        image = cv2.imread(str(path))
        images.append((path.stem + ".jpg", cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()))
        grey = cv2.cvtColor(image, code=cv2.COLOR_BGR2GRAY)
        images.append((path.stem + "_grey.png", cv2.imencode(".png", grey)[1].tobytes()))
    return images


@pytest.fixture(scope="module")
def server(shipped_onnx, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    flags = [f"--{key}={value}" for key, value in LIMITS.items()]
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "tools/serve.py", f"--rec_model_dir={shipped_onnx}", "--host=127.0.0.1",
                                 f"--port={port}", "--rec_batch_num=8", "--cpu_threads=1", *flags],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    client = ServiceClient("127.0.0.1", port, timeout=60)
    try:
        wait_until_healthy(proc, port, log)
        yield proc, client, log
    finally:
        stop_server(proc)  # if the test failed before stopping it


def bad_requests(good):
    """(name, send(client), expected status, expected error code, text the detail must contain)."""
    name, png = good[0]
    big = bytes(LIMITS["max_body_bytes"] + 100_000)
    huge = cv2.imencode(".png", np.zeros([1000, 1100, 3], dtype=np.uint8))[1].tobytes()
    return [
        ("undecodable", lambda c: c.predict(b"plain text, no image", filename="notes.txt"), 400, "undecodable_image",
         "notes.txt"),
        ("undecodable in a batch", lambda c: c.predict_batch([good[1], ("broken.png", png[:40]), good[2]]), 400,
         "undecodable_image", "image 1 (broken.png)"),
        ("text/plain", lambda c: c.request("POST", "/predict", body=png, content_type="text/plain"), 415,
         "unsupported_media_type", "text/plain"),
        ("raw body to predict_batch", lambda c: c.request("POST", "/predict_batch", body=png, content_type="image/png"),
         415, "unsupported_media_type", "multipart/form-data"),
        ("too many images", lambda c: c.predict_batch([good[0]] * 9), 413, "too_many_images", "at most 8"),
        ("two images to predict", lambda c: c.request("POST", "/predict", *encode_multipart([good[0], good[1]], "image")), 400, "too_many_images", "/predict_batch"),
        ("body too large", lambda c: c.request("POST", "/predict", body=big, content_type="image/png"), 413,
         "body_too_large", "limit of 1000000 bytes"),
        ("chunked body too large", lambda c: c.request("POST", "/predict", body=big, content_type="image/png",
                                                       chunked=True), 413, "body_too_large", "limit"),
        ("too many pixels", lambda c: c.predict(huge, filename="huge.png"), 413, "too_many_pixels", "1100000 pixels"),
        ("empty form", lambda c: c.request("POST", "/predict_batch", *encode_multipart([], "images")), 400, "no_image",
         "no image"),
        *bomb_requests(good),
    ]


def bomb_requests(good):
    """20000 x 20000 PNG and JPEG, past Pillow's decompression-bomb threshold, to every route."""
    requests = []
    for kind, declaring in (("png", png_declaring), ("jpg", jpeg_declaring)):
        bomb = (f"bomb.{kind}", declaring(20000, 20000))
        requests += [
            (f"{kind} bomb", lambda c, bomb=bomb: c.predict(bomb[1], filename=bomb[0]), 413, "too_many_pixels",
             f"{bomb[0]} has 400000000 pixels"),
            (f"{kind} bomb as the raw body", lambda c, bomb=bomb: c.predict(bomb[1], raw=True), 413, "too_many_pixels",
             "the request body has 400000000 pixels"),
            (f"{kind} bomb in a batch", lambda c, bomb=bomb: c.predict_batch([good[0], bomb]), 413, "too_many_pixels",
             f"image 1 ({bomb[0]}) has 400000000 pixels"),
        ]
    bomb = ("bomb.png", png_declaring(20000, 20000))  # the page's route reads through the same pipeline
    requests.append(("png bomb to /rectify", lambda c: c.request("POST", "/rectify", *encode_multipart([bomb], "image")),
                     413, "too_many_pixels", "bomb.png has 400000000 pixels"))
    return requests


def plan(good, count, seed=13):
    """Deterministic mix: 1 in 5 requests bad (each kind in turn), the rest single or batch."""
    rng = random.Random(seed)
    bad = bad_requests(good)
    jobs = []
    for i in range(count):
        if i % 5 == 4:
            jobs.append(("bad", bad[(i // 5) % len(bad)]))
        elif rng.random() < 0.5:
            jobs.append(("single", (rng.choice(good), rng.random() < 0.4)))
        else:
            jobs.append(("batch", rng.sample(good, rng.randint(2, 6))))
    return jobs


def run_job(client, job, expected):
    """None if the answer is right, else a line saying what was wrong."""
    kind, payload = job
    if kind == "single":
        (name, data), raw = payload
        status, body = client.predict(data, filename=name, raw=raw)
        want = [expected[data]]
        got = [body] if status == 200 else None
    elif kind == "batch":
        status, body = client.predict_batch(payload)
        want = [expected[data] for _, data in payload]
        got = body if status == 200 else None
    else:
        name, send, code, error, detail = payload
        status, body = send(client)
        ok = status == code and isinstance(body, dict) and body.get("error") == error and detail in body.get("detail", "")
        return None if ok else f"{name}: expected {code} {error}, got {status} {body}"
    if got is None or len(got) != len(want):
        return f"{kind}: {status} {body}"
    for answer, (text, score) in zip(got, want):
        if answer["text"] != text or abs(answer["score"] - score) > 1e-4:
            return f"{kind}: {answer} != {(text, score)}"
    return None


def test_serve_answers_concurrent_clients_sheds_bad_requests_and_stops_cleanly(server, shipped_onnx):
    proc, client, log = server
    good = good_images()
    readings = TextRecognizer(shipped_onnx, cpu_threads=1)([data for _, data in good])
    expected = {data: reading for (_, data), reading in zip(good, readings)}
    assert len({text for text, _ in readings}) >= 10  # the answers differ from image to image

    status, health = client.health()
    assert status == 200 and health["backend"] == "onnxruntime" and health["batches"] == 0
    assert client.request("GET", "/docs")[0] == 200 and "/predict_batch" in client.request("GET", "/openapi.json")[1]["paths"]

    jobs = plan(good, REQUESTS)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        errors = [e for e in pool.map(lambda job: run_job(client, job, expected), jobs) if e]
    assert not errors, f"{len(errors)} of {len(jobs)} wrong answers, e.g.: " + " | ".join(errors[:5])
    answered = sum(kind != "bad" for kind, _ in jobs)
    assert sum(kind == "bad" for kind, _ in jobs) >= 40 and answered >= 180
    batches = client.health()[1]["batches"]
    assert batches < answered, f"{batches} model calls for {answered} answered requests: nothing was batched"

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    text = log.read_text()
    assert "stopped by SIGTERM" in text and "service stopped after" in text and "Traceback" not in text
    with pytest.raises(OSError):
        client.health()
