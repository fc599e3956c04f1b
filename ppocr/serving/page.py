"""The service's page at ``/``: try the model in a browser, offline (``page.html``, one file with its
script and style inline; nothing is fetched from elsewhere).

The page reads each image it is given through the service's own ``POST /predict``, so it shows
exactly what the JSON API answers. Two routes serve it and nothing else:

- ``GET /model``: the model's name, algorithm, backend and dictionary, and whether the page can
  show the rectified image (and why not);
- ``POST /rectify`` (one image, as ``/predict`` takes it, and refused as it refuses one) -> a PNG of
  what the rectifier (TPS or GA-SPIN) makes of it, drawn by ``ppocr.inference.rectification`` (the
  picture of ``tools/vis_rectify.py``, without its reading column).

An exported graph does not give its rectifier's intermediate images, so the picture comes from the
dygraph model of the folder's ``config.yml`` (which ``tools/export_model.py`` writes) with the
weights it names, loaded on the first request (Paddle is imported then, not before). Without that
file, those weights or a rectifier, ``/model`` says why and the page shows the readings alone.
"""
import asyncio
import logging
import os
import threading
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from ppocr.errors import UserError
from ppocr.export.model_folder import CONFIG_COPY, read_model_info
from ppocr.inference.image_input import MAX_IMAGE_PIXELS, UnreadableImage

logger = logging.getLogger("ppocr")
PAGE_FILE = Path(__file__).with_name("page.html")


def display_name(info):
    """The model's name for a reader: ``inference.yml``'s model name, with its parent folder when
    that name is the generic ``inference`` (``rec_mv3_tps_bilstm_ctc_synth/inference``)."""
    folder = os.path.normpath(info.model_dir)
    name = os.path.basename(folder)
    return f"{os.path.basename(os.path.dirname(folder))}/{name}" if name == "inference" else name


def model_summary(model_dir, backend, rectify_view):
    """``GET /model``'s answer (JSON): what the page shows above the images."""
    info = read_model_info(model_dir)
    characters = info.charset["characters"]
    available, why = rectify_view.availability()
    return {"name": display_name(info), "algorithm": info.algorithm, "backend": backend,
            "image_shape": info.image_shape, "characters": characters, "lower_cased": bool(info.charset["lower"]),
            "rectifier": available, "rectifier_note": why}


class RectifyView:
    """The rectifier's picture of one image, from the dygraph model of ``model_dir/config.yml``, read
    through its inference pipeline (images over ``max_image_pixels`` refused, as ``/predict`` does)."""

    def __init__(self, model_dir, max_image_pixels=MAX_IMAGE_PIXELS):
        self.config_path = os.path.join(model_dir, CONFIG_COPY)
        self.max_image_pixels = max_image_pixels
        self.lock = threading.Lock()
        self.pipeline, self.error = None, None

    def _config(self):
        from ppocr.config import load_config

        return load_config(self.config_path)

    def availability(self):
        """``(True, "")`` or ``(False, why not)``, from the files alone (no model is built)."""
        if self.error:
            return False, self.error
        if not os.path.isfile(self.config_path):
            return False, f"the model folder has no {CONFIG_COPY} (tools/export_model.py writes it)"
        try:
            config = self._config()
        except UserError as e:
            return False, f"{CONFIG_COPY} does not load: {e}"
        if not (config.get("Architecture") or {}).get("Transform"):
            return False, "this model has no rectifier (Architecture.Transform is empty)"
        from ppocr.global_settings import GlobalSettings

        weights = GlobalSettings.of(config).weights
        if not weights or not os.path.isfile(weights + ".pdparams"):
            return False, (f"the weights {CONFIG_COPY} names ({weights!r}) are not here: serve from the folder "
                           "the model was exported from to see the rectified images")
        return True, ""

    def _load(self):
        from ppocr.inference.pipeline import dygraph_pipeline
        from ppocr.trained_model.from_config import TrainedModel

        available, why = self.availability()
        if not available:
            raise UserError(why)
        try:
            trained = TrainedModel.from_config(self._config())
        except UserError as e:
            self.error = f"the model of {CONFIG_COPY} does not load: {e}"
            raise UserError(self.error) from None
        self.pipeline = dygraph_pipeline(trained, max_image_pixels=self.max_image_pixels)
        logger.info("the page's rectified images: the dygraph model of %s", self.config_path)

    def png(self, raw):
        """PNG bytes of the rectifier's picture of one encoded image; UserError when it cannot be drawn,
        ``UnreadableImage`` (from the pipeline) when the image is not read."""
        from ppocr.inference.rectification import png_bytes, rectification_grid

        with self.lock:  # one dygraph forward at a time; the model is built by the first caller
            if self.pipeline is None:
                self._load()
            image = self.pipeline.prepare(raw)
            grid, _ = rectification_grid(self.pipeline, [image], scale=2, with_reading=False)
        return png_bytes(grid)


def add_page_routes(app, service, settings, read_one_image, service_error, image_refusal):
    """``GET /``, ``GET /model`` and ``POST /rectify`` on ``app``. ``read_one_image(request)`` gives
    ``(name, bytes)`` of a request's one image (as ``/predict`` reads it); ``service_error(status,
    code, detail)`` is the service's refusal, ``image_refusal(unread, name)`` its answer to an image
    the pipeline did not read."""
    view = RectifyView(settings.rec_model_dir, max_image_pixels=settings.max_image_pixels)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page():
        return HTMLResponse(PAGE_FILE.read_text(encoding="utf-8"))

    @app.get("/model")
    async def model():
        """The model's name, algorithm, backend and dictionary; whether /rectify can draw (and why not)."""
        backend = service.batcher.model.backend_name
        return await asyncio.get_running_loop().run_in_executor(
            None, model_summary, settings.rec_model_dir, backend, view)

    @app.post("/rectify", response_class=Response, responses={200: {"content": {"image/png": {}}}})
    async def rectify(request: Request):
        """One image -> a PNG: the input with the fiducial points the rectifier predicts, and its output."""
        name, raw = await read_one_image(request)
        try:
            png = await asyncio.get_running_loop().run_in_executor(None, view.png, raw)
        except UnreadableImage as e:
            raise image_refusal(e, name) from None
        except UserError as e:
            raise service_error(409, "no_rectified_image", str(e)) from None
        return Response(png, media_type="image/png")
