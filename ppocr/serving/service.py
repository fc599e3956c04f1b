"""The HTTP service of ``tools/serve.py`` (FastAPI on uvicorn; doc/serving.md says why).

``POST /predict`` (one image: a multipart file or the raw body) -> ``{"text", "score"}``;
``POST /predict_batch`` (a multipart form of several files) -> a list in order; ``GET /health``;
the OpenAPI page at ``/docs``; a page to try the model in a browser at ``/`` (``page.py``). Every refusal is JSON ``{"error": CODE, "detail": ONE LINE}``:
413 body, pixels or images over their limit, 400 an undecodable image (named), 415 a content
type other than multipart/form-data, image/* or application/octet-stream, 503 when too many
images are waiting. Images are decoded in a small thread pool; the model runs in the single
thread of a ``MicroBatcher``, which puts concurrent requests into one batch.

Example::

    app = create_app(ServiceSettings(rec_model_dir="pretrained/rec_mv3_tps_bilstm_ctc_synth/inference"))
    uvicorn.run(app, host="127.0.0.1", port=8868)
"""
import asyncio
import contextlib
import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ppocr.inference.image_header import FORMATS
from ppocr.inference.image_input import MAX_IMAGE_PIXELS, TooManyPixels, UnknownFormat, UnreadableImage
from ppocr.inference.predictor import TextRecognizer
from ppocr.serving.batching import Busy, MicroBatcher, Stopped
from ppocr.serving.body_limit import BodyLimit
from ppocr.serving.page import add_page_routes

logger = logging.getLogger("ppocr")
RAW_TYPES = ("image/", "application/octet-stream")


@dataclasses.dataclass(frozen=True)
class ServiceSettings:
    """What ``tools/serve.py``'s flags set; the limits' defaults are doc/serving.md's table."""

    rec_model_dir: str
    backend: str = None
    rec_batch_num: int = 16
    cpu_threads: int = None
    enable_mkldnn: bool = None
    use_gpu: bool = False
    max_body_bytes: int = 8 * 1024 * 1024
    max_image_pixels: int = MAX_IMAGE_PIXELS
    max_batch_images: int = 64
    max_pending_images: int = 1024
    batch_window_ms: float = 3.0
    decode_threads: int = 2


class ServiceError(Exception):
    def __init__(self, status, error, detail):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


class Reading(BaseModel):
    text: str
    score: float


class Refusal(BaseModel):
    error: str
    detail: str


def _image_body(many):
    form = {"type": "object", "properties": {"images" if many else "image": (
        {"type": "array", "items": {"type": "string", "format": "binary"}} if many else
        {"type": "string", "format": "binary"})}}
    content = {"multipart/form-data": {"schema": form}}
    if not many:
        content.update({kind: {"schema": {"type": "string", "format": "binary"}}
                        for kind in ("image/png", "image/jpeg", "application/octet-stream")})
    return {"requestBody": {"required": True, "content": content}}


def refusal(unread, what):
    """The answer to an image the pipeline did not read (an ``UnreadableImage``): 413
    ``too_many_pixels`` over the limit, read from the header alone (``image_header`` tells any size,
    where Pillow raises past its bomb threshold), else 400 ``undecodable_image``, naming ``what``."""
    if isinstance(unread, TooManyPixels):
        return ServiceError(413, "too_many_pixels", f"{what} has {unread.pixels} pixels, more than the service's "
                            f"{unread.limit}: crop or shrink it (or raise --max_image_pixels)")
    if isinstance(unread, UnknownFormat):
        return ServiceError(400, "undecodable_image", f"{what} is not a {FORMATS} file (its header was not read): "
                            "send one of those")
    return ServiceError(400, "undecodable_image", f"{what} could not be decoded ({unread.reason}): "
                        "send a png, jpg, bmp, tiff or webp file")


class Service:
    """The state behind the routes: settings, the batcher (with the model) and the decode pool."""

    def __init__(self, settings):
        self.settings = settings
        s = settings
        self.batcher = MicroBatcher(
            lambda: TextRecognizer(s.rec_model_dir, backend=s.backend, batch_size=s.rec_batch_num, use_gpu=s.use_gpu,
                                   enable_mkldnn=s.enable_mkldnn, cpu_threads=s.cpu_threads,
                                   max_image_pixels=s.max_image_pixels),
            max_batch=s.rec_batch_num, window=s.batch_window_ms / 1000.0,
            max_pending=s.max_pending_images)
        self.pool = ThreadPoolExecutor(max_workers=max(1, s.decode_threads), thread_name_prefix="ppocr-decode")

    def decode(self, files):
        """[(name, bytes)] -> model inputs (the pipeline's ``prepare``, which holds the pixel limit);
        the first bad image is a ServiceError naming it."""
        arrays = []
        for i, (name, raw) in enumerate(files):
            what = name if len(files) == 1 else f"image {i} ({name})"
            try:
                arrays.append(self.batcher.model.prepare(raw))
            except UnreadableImage as e:
                raise refusal(e, what) from None
            except Exception as e:  # noqa: BLE001  (OpenCV raises, rather than returns None, on some files)
                raise ServiceError(400, "undecodable_image", f"{what} could not be decoded ({type(e).__name__}): "
                                   "send a png, jpg, bmp, tiff or webp file") from None
        return arrays

    async def read(self, files):
        """Decode off the event loop, then run in the batcher's thread with the requests around it."""
        with self.batcher.arrival() as arrival:
            arrays = await asyncio.get_running_loop().run_in_executor(self.pool, self.decode, files)
            try:
                results = await arrival.submit(arrays)
            except Busy as e:
                raise ServiceError(503, "busy", f"the service is busy ({e}): retry shortly") from None
            except Stopped as e:
                raise ServiceError(503, "stopping", f"{e}: retry on another instance") from None
        return [Reading(text=text, score=float(score)) for text, score in results]


async def request_files(request, limit, many):
    """[(name, bytes)] of a request: the files of a multipart form, or the raw body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        try:
            form = await request.form(max_files=limit + 1, max_fields=16)
        except HTTPException as e:
            if "files" in str(e.detail).lower():  # Starlette's refusal past max_files
                raise too_many_images(f"more than {limit}", limit, many) from None
            raise ServiceError(400, "bad_form", f"the multipart form could not be read ({e.detail})") from None
        uploads = [(key, value) for key, value in form.multi_items() if isinstance(value, UploadFile)]
        files = [(upload.filename or key, await upload.read()) for key, upload in uploads]
        await form.close()
    elif not many and (ctype.startswith(RAW_TYPES[0]) or ctype == RAW_TYPES[1]):
        files = [("the request body", await request.body())]
    else:
        accepted = "multipart/form-data" + ("" if many else ", image/* or application/octet-stream")
        raise ServiceError(415, "unsupported_media_type", f"Content-Type {ctype or '(none)'!r} is not accepted here: "
                           f"send {accepted} (e.g. curl -F image=@word.png)")
    if not files:
        raise ServiceError(400, "no_image", "the request holds no image: send a file field, e.g. curl -F image=@word.png")
    if len(files) > limit:
        raise too_many_images(len(files), limit, many)
    return files


def too_many_images(count, limit, many):
    if not many:
        return ServiceError(400, "too_many_images", f"{count} images sent to /predict, which reads one: "
                            "use /predict_batch for several")
    return ServiceError(413, "too_many_images", f"{count} images in one request, at most {limit}: "
                        "split them over several requests (or raise --max_batch_images)")


def create_app(settings):
    """The FastAPI application; the model is built (and the batcher started) at startup."""
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        await asyncio.get_running_loop().run_in_executor(None, service.batcher.start)
        model = service.batcher.model
        logger.info("serving %s with %s, batches of up to %d images", settings.rec_model_dir, model.backend_name,
                    service.batcher.max_batch)
        yield
        service.batcher.stop()
        service.pool.shutdown(wait=True)
        logger.info("service stopped after %d model batches", service.batcher.batches)

    errors = {code: {"model": Refusal} for code in (400, 413, 415, 503)}
    app = FastAPI(title="ppocr text recognition", lifespan=lifespan,
                  description="STAR-Net / SPIN word recognition: one image or a batch in, (text, score) out.")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(ServiceError)
    async def refuse(_request, e):
        return JSONResponse({"error": e.error, "detail": e.detail}, status_code=e.status)

    @app.exception_handler(HTTPException)
    async def http_error(_request, e):
        return JSONResponse({"error": "http_error", "detail": str(e.detail)}, status_code=e.status_code)

    @app.get("/health")
    async def health():
        """The model's backend and algorithm, and how many images wait."""
        model = service.batcher.model
        return {"status": "ok", "backend": model.backend_name, "model_dir": settings.rec_model_dir,
                "algorithm": model.algorithm,
                "pending_images": service.batcher.pending, "batches": service.batcher.batches}

    @app.post("/predict", response_model=Reading, responses=errors, openapi_extra=_image_body(many=False))
    async def predict(request: Request):
        """One image, as a multipart file or as the raw body (Content-Type image/* or application/octet-stream)."""
        files = await request_files(request, limit=1, many=False)
        return (await service.read(files))[0]

    @app.post("/predict_batch", response_model=list[Reading], responses=errors, openapi_extra=_image_body(many=True))
    async def predict_batch(request: Request):
        """Several images as the files of a multipart form; the readings in the files' order."""
        files = await request_files(request, limit=settings.max_batch_images, many=True)
        return await service.read(files)

    async def one_image(request):
        return (await request_files(request, limit=1, many=False))[0]

    add_page_routes(app, service, settings, read_one_image=one_image, service_error=ServiceError,
                    image_refusal=refusal)
    return app
