"""Command line of ``tools/serve.py``: flags -> ``ServiceSettings`` -> uvicorn.

Stopping: on SIGINT or SIGTERM uvicorn stops accepting, lets the requests in hand finish, runs
the service's shutdown (which stops the inference thread), then re-raises the signal with the
handler that was there before its own; that handler is the default action, so the process ends
by the signal and the crash guard's parent says ``stopped by SIGINT`` and exits 128 + the signal.
(Under Python's KeyboardInterrupt handler, asyncio would turn the re-raised SIGINT into a
cancelled main task, which uvicorn swallows: exit 0 and a ``CancelledError`` traceback.)
One Ctrl-C must also be one signal: a terminal sends SIGINT to its whole foreground process group
and the guard's parent forwards what it gets, so the server leaves that group; otherwise it would
get two, and uvicorn takes a second SIGINT for "force quit" (no draining, no shutdown).
With ``--workers N`` uvicorn starts N processes, each with its own model, inference thread and
share of the cores; they get their settings through the environment (``SETTINGS_VARIABLE``), as
spawned processes must. Its supervisor stops them on a signal and returns: ``main`` re-raises
that signal, so the tool ends the same way.
"""
import dataclasses
import errno
import json
import logging
import os
import signal
import socket

from ppocr.cli.crash_guard import CHILD_FLAG
from ppocr.cli.predict_flags import str2bool
from ppocr.cli.startup import OneLineParser
from ppocr.errors import UserError
from ppocr.inference.predictor import disable_paddle_signal_handler
from ppocr.utils.cpu import available_cores, default_cpu_threads
from ppocr.utils.logging import get_logger

logger = logging.getLogger("ppocr")
SETTINGS_VARIABLE = "PPOCR_SERVE_SETTINGS"
SERVE_INSTALL = "pip install '.[serve]' (or pip install fastapi uvicorn python-multipart)"


def build_parser():
    p = OneLineParser(description="Serve an exported recogniser over HTTP (POST /predict, /predict_batch; GET /health).")
    p.add_argument("--rec_model_dir", required=True, help="folder written by tools/export_model.py")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    p.add_argument("--port", type=int, default=8868)
    p.add_argument("--workers", type=int, default=1, help="processes, each with its own model")
    p.add_argument("--backend", choices=["auto", "paddle", "onnxruntime"], default="auto",
                   help="auto: onnxruntime when the folder holds inference.onnx and onnxruntime is installed")
    p.add_argument("--rec_batch_num", type=int, default=16, help="images per model call, at most")
    p.add_argument("--batch_window_ms", type=float, default=3.0,
                   help="how long the model waits for requests still being decoded to join a batch")
    p.add_argument("--cpu_threads", type=int, default=None, help="compute threads per worker (default: its share of the cores)")
    p.add_argument("--enable_mkldnn", type=str2bool, default=None, help="oneDNN for the paddle backend (its default: on)")
    p.add_argument("--use_gpu", type=str2bool, default=False)
    p.add_argument("--max_body_bytes", type=int, default=8 * 1024 * 1024, help="413 above this request size")
    p.add_argument("--max_image_pixels", type=int, default=4_000_000, help="413 for an image with more pixels")
    p.add_argument("--max_batch_images", type=int, default=64, help="413 for a /predict_batch with more images")
    p.add_argument("--max_pending_images", type=int, default=1024, help="503 while more images wait for the model")
    p.add_argument("--access_log", type=str2bool, default=False, help="one log line per request")
    return p


def settings_from(args):
    """Checked flags -> ServiceSettings (a one-line UserError names a wrong value)."""
    if not 1 <= args.port <= 65535:
        raise UserError(f"--port={args.port}: expected a port number from 1 to 65535 (e.g. --port 8868)")
    for name in ("workers", "rec_batch_num", "max_body_bytes", "max_image_pixels", "max_batch_images",
                 "max_pending_images"):
        if getattr(args, name) < 1:
            raise UserError(f"--{name}={getattr(args, name)}: expected a positive integer")
    if args.cpu_threads is not None and args.cpu_threads < 1:
        raise UserError(f"--cpu_threads={args.cpu_threads}: expected a positive integer")
    if not 0 <= args.batch_window_ms <= 1000:
        raise UserError(f"--batch_window_ms={args.batch_window_ms}: expected 0 to 1000 milliseconds")
    if not os.path.isdir(args.rec_model_dir):
        raise UserError(f"--rec_model_dir={args.rec_model_dir!r} is not a folder: pass what tools/export_model.py wrote")
    check_model_folder(args.rec_model_dir, None if args.backend == "auto" else args.backend)
    check_address_free(args.host, args.port)
    threads = args.cpu_threads or max(1, default_cpu_threads() // args.workers)
    return service_module().ServiceSettings(
        rec_model_dir=os.path.abspath(args.rec_model_dir), backend=None if args.backend == "auto" else args.backend,
        rec_batch_num=args.rec_batch_num, cpu_threads=threads, enable_mkldnn=args.enable_mkldnn, use_gpu=args.use_gpu,
        max_body_bytes=args.max_body_bytes, max_image_pixels=args.max_image_pixels,
        max_batch_images=args.max_batch_images, max_pending_images=args.max_pending_images,
        batch_window_ms=args.batch_window_ms, decode_threads=min(4, available_cores()))


def check_model_folder(model_dir, backend):
    """The checks the service would make at its startup, made before uvicorn starts: a folder that
    is no exported model is one line, not a failed startup's traceback."""
    from ppocr.export.model_folder import paddle_files, read_model_info
    from ppocr.inference.backends import PaddleBackend, choose_backend

    read_model_info(model_dir)
    if choose_backend(model_dir, backend) == PaddleBackend.name:
        paddle_files(model_dir)


def check_address_free(host, port):
    """A one-line UserError when ``host:port`` cannot be listened on (a port in use, an address not
    of this machine); bound as uvicorn binds (SO_REUSEADDR), then released at once."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UserError(f"--host={host}: not an address of this machine ({e.strerror}): e.g. --host 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise UserError(f"--port={port}: {host}:{port} is in use by another program: stop it, or pick "
                                "another port (--port 8869)") from None
            raise UserError(f"--host={host} --port={port}: cannot listen there ({e.strerror})") from None


def service_module():
    """``ppocr.serving.service``, or a one-line UserError when FastAPI, uvicorn or python-multipart is missing."""
    try:
        import fastapi  # noqa: F401
        import multipart  # noqa: F401  (python-multipart: FastAPI's form parser)
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise UserError(f"tools/serve.py needs {e.name}, which is not installed: {SERVE_INSTALL}") from None
    from ppocr.serving import service

    return service


def app_from_environment():
    """uvicorn's factory in each worker process of ``--workers N``."""
    get_logger()
    disable_paddle_signal_handler()  # uvicorn's handlers are in place already: they are kept
    service = service_module()
    return service.create_app(service.ServiceSettings(**json.loads(os.environ[SETTINGS_VARIABLE])))


def main(argv=None):
    if os.environ.get(CHILD_FLAG) == "1":
        os.setpgid(0, 0)  # stop signals come from the guard's parent alone, once each (see the docstring)
    args = build_parser().parse_args(argv)
    get_logger()
    settings = settings_from(args)
    service = service_module()
    import uvicorn

    disable_paddle_signal_handler()  # before uvicorn installs its SIGTERM handler (see its docstring)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # what uvicorn re-raises after its graceful stop (see above)

    # log_config=None: uvicorn's lines reach the root logger, in the toolkit's format (ppocr/utils/logging.py)
    options = dict(host=args.host, port=args.port, access_log=args.access_log, log_level="info",
                   timeout_graceful_shutdown=30, log_config=None)
    logger.info("%d worker(s), %d compute threads each; a page to try the model: http://%s:%d/ ; OpenAPI page: "
                "/docs (its scripts come from a CDN: offline, read /openapi.json)", args.workers, settings.cpu_threads,
                args.host, args.port)
    if args.workers == 1:
        uvicorn.run(service.create_app(settings), **options)
        return
    os.environ[SETTINGS_VARIABLE] = json.dumps(dataclasses.asdict(settings))
    stops = stop_signals_during(lambda: uvicorn.run("ppocr.cli.serve:app_from_environment", factory=True,
                                                    workers=args.workers, **options))
    if stops:  # uvicorn's supervisor stopped its workers and returned: end as the single-process server does
        signal.signal(stops[0], signal.SIG_DFL)
        signal.raise_signal(stops[0])


def stop_signals_during(run):
    """Call ``run()``; -> the SIGINTs and SIGTERMs that arrived meanwhile, whichever Python handler took them
    (Python writes each handled signal's number to the wakeup file descriptor)."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    try:
        run()
    finally:
        signal.set_wakeup_fd(previous)
        try:
            numbers = os.read(read_end, 4096)
        except BlockingIOError:
            numbers = b""
        os.close(read_end)
        os.close(write_end)
    return [signal.Signals(n) for n in numbers if n in (signal.SIGINT, signal.SIGTERM)]
