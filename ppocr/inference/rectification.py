"""What a recogniser's rectifier does to its input, as a picture.

One row per image: the model's input with the predicted fiducial points drawn on it, for
GA-SPIN the colour-transformed image (the structure-preserving transform with the inner
offsets, before the geometric warp), the rectifier's output, and the model's reading.
The intermediates are caught with forward hooks on the layers found by type (a grid
generator's input are the fiducial points; the structure-preserving transform's output is
the colour-transformed image), so nothing here re-implements a rectifier or asks which
algorithm it is.

Images are read, preprocessed, run and decoded by the inference pipeline with the dygraph model as
its backend (``dygraph_pipeline``), one image per model call, so that the hooks see each image's
intermediates; an image the pipeline cannot read is named and left out, as ``tools/infer_rec.py``
leaves it out.

Example::

    from ppocr.config import merge_config
    from ppocr.inference.pipeline import dygraph_pipeline
    from ppocr.trained_model.from_config import TrainedModel
    cfg = merge_config("configs/rec/demo_mv3_tps_bilstm_ctc.yml",
                       ["Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"])
    pipeline = dygraph_pipeline(TrainedModel.from_config(cfg))
    visualize_rectification(pipeline, ["doc/imgs_words_en/word_10.png"], "rectify.png")
"""
import logging

import cv2
import numpy as np

from ppocr.data.preprocess import list_images
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.inference.image_input import UnreadableImage
from ppocr.inference.pipeline import dygraph_pipeline
from ppocr.modeling.transforms.gaspin import StructurePreservingTransform
from ppocr.modeling.transforms.tps_grid import GridGenerator
from ppocr.trained_model.from_config import TrainedModel
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")

HEADER = 22  # pixels of the column-title band
TEXT_WIDTH = 170  # least width of the reading column


class RectifierProbe:
    """Forward hooks that keep the rectifier's intermediates of the last forward pass; a context
    manager that removes them on leaving.

    Example::

        with RectifierProbe(model) as probe:
            pipeline.recognize([image])
        probe.caught["rectified"].shape     # (1, 3, 32, 100)
    """

    def __init__(self, model):
        if getattr(model, "transform", None) is None:
            raise UserError("this model has no rectifier (Architecture.Transform is empty): nothing to draw")
        self.caught = {}
        self.handles = [model.transform.register_forward_post_hook(self._keep("rectified", output=True))]
        for layer in model.transform.sublayers():
            if isinstance(layer, GridGenerator):
                self.handles.append(layer.register_forward_pre_hook(self._keep("fiducials", output=False)))
            elif isinstance(layer, StructurePreservingTransform):
                self.handles.append(layer.register_forward_post_hook(self._keep("colour", output=True)))

    def _keep(self, name, output):
        def hook(layer, inputs, outputs=None):
            value = outputs if output else inputs[0]
            self.caught[name] = value.numpy()

        return hook

    def remove(self):
        for handle in self.handles:
            handle.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def rectify(pipeline, images):
    """Run ``images`` (the pipeline's prepared arrays) through ``pipeline`` (a ``dygraph_pipeline``),
    one per model call; returns ``(readings, [{'rectified', 'fiducials', and for GA-SPIN 'colour'}])``,
    the intermediates of each image as numpy arrays without the batch axis."""
    readings, caught = [], []
    with RectifierProbe(pipeline.backend.model) as probe:
        for image in images:
            readings += pipeline.recognize([image])
            caught.append({name: value[0] for name, value in probe.caught.items()})
    return readings, caught


def draw_fiducials(tile, points):
    """Points in the grid's [-1, 1] coordinates (align_corners: -1 and 1 are the edge pixel centres)."""
    h, w = tile.shape[:2]
    tile = tile.copy()
    for x, y in np.asarray(points, dtype=np.float64):
        centre = (int(round((x + 1) / 2 * (w - 1))), int(round((y + 1) / 2 * (h - 1))))
        cv2.circle(tile, center=centre, radius=3, color=(0, 0, 255), thickness=-1, lineType=cv2.LINE_AA)
    return tile


def _to_bgr(pixels):
    return cv2.cvtColor(pixels, code=cv2.COLOR_GRAY2BGR) if pixels.shape[2] == 1 else np.ascontiguousarray(pixels)


def _text_width(text, scale=0.55):
    (width, _), _ = cv2.getTextSize(text, fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=scale, thickness=1)
    return width + 12


def _label(width, height, text, scale=0.55):
    width = max(width, _text_width(text, scale))  # a long text widens its column rather than being cut
    band = np.full((height, width, 3), 255, dtype=np.uint8)
    cv2.putText(band, text, org=(6, height // 2 + 6), fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=scale,
                color=(0, 0, 0), thickness=1, lineType=cv2.LINE_AA)
    return band


def compose_grid(rows, titles, gap=4):
    """Tiles (equal-height BGR uint8 arrays) in rows under a band of column titles."""
    widths = [max([row[i].shape[1] for row in rows] + [_text_width(t) if t else 0]) for i, t in enumerate(titles)]
    height = max(tile.shape[0] for row in rows for tile in row)

    def pad(tile, width):
        out = np.full((height, width, 3), 255, dtype=np.uint8)
        out[: tile.shape[0], : tile.shape[1]] = tile
        return out

    def join(tiles):
        parts = []
        for tile, width in zip(tiles, widths):
            parts += [pad(tile, width), np.full((height, gap, 3), 255, dtype=np.uint8)]
        return np.concatenate(parts[:-1], axis=1)

    header = np.concatenate(sum(([_label(w, HEADER, t), np.full((HEADER, gap, 3), 255, np.uint8)]
                                 for w, t in zip(widths, titles)), [])[:-1], axis=1)
    body = [header]
    for row in rows:
        body += [join(row), np.full((gap, header.shape[1], 3), 255, dtype=np.uint8)]
    return np.concatenate(body[:-1], axis=0)


def rectification_grid(pipeline, images, scale=3, with_reading=True):
    """``(grid, readings)``: the BGR uint8 grid of ``images`` (the arrays ``pipeline.prepare`` made of
    them; ``pipeline`` a ``dygraph_pipeline``), one row per image, and the model's [(text, score)].
    ``with_reading=False`` leaves the reading column out (the service's page shows its own)."""
    pipeline.backend.model.eval()
    display = next((op for op in reversed(pipeline.preprocess.ops) if hasattr(op, "to_uint8")), None)
    if display is None:
        raise UserError("the Eval transforms have no resize op that can turn the model input back into pixels")
    if not len(images):
        raise UserError("no image to draw: give image files or a folder of images")
    readings, caught = rectify(pipeline, images)
    has_colour = "colour" in caught[0]
    titles = ["input + fiducial points"] + (["colour-transformed"] if has_colour else []) + ["rectified"]
    titles += ["reading"] if with_reading else []

    def big(chw):  # nearest-neighbour upscaling keeps the model's pixels visible as they are
        return cv2.resize(_to_bgr(display.to_uint8(chw)), dsize=None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_NEAREST)

    rows = []
    for image, seen, (text, score) in zip(images, caught, readings):
        first = big(image)
        if "fiducials" in seen:
            first = draw_fiducials(first, seen["fiducials"])
        row = [first] + ([big(seen["colour"])] if has_colour else []) + [big(seen["rectified"])]
        if with_reading:
            row.append(_label(TEXT_WIDTH, first.shape[0], f"{text} ({score:.2f})", scale=0.7))
        rows.append(row)
    return compose_grid(rows, titles), readings


def png_bytes(grid):
    ok, buf = cv2.imencode(".png", grid)
    if not ok:
        raise RuntimeError("cv2 could not encode the rectification grid as PNG")
    return buf.tobytes()


def visualize_rectification(pipeline, image_paths, out_path, scale=3):
    """Write the grid of ``image_paths`` through ``pipeline`` (a ``dygraph_pipeline``) to ``out_path``
    (PNG); an image the pipeline cannot read is named in a warning and left out, none readable is a
    UserError. Returns the readings [(path, text, score)] of the rows drawn.
    """
    paths, images = [], []
    for path in image_paths:
        try:
            images.append(pipeline.prepare(path))
            paths.append(path)
        except UnreadableImage as e:
            logger.warning("skipped %s: %s", path, e.reason)
    if image_paths and not images:
        raise UserError(f"none of the {len(image_paths)} images could be read (each is named above): give image "
                        "files that OpenCV decodes (png, jpg, bmp, ...)")
    grid, readings = rectification_grid(pipeline, images, scale=scale)
    atomic_write_bytes(out_path, png_bytes(grid))
    return [(p, t, s) for p, (t, s) in zip(paths, readings)]


def add_vis_args(parser):
    """The command-line options of ``tools/vis_rectify.py`` beyond ``-c``/``-o``."""
    parser.add_argument("--out", default="./output/rectify.png", help="PNG file to write")
    parser.add_argument("--max_images", type=int, default=16, help="rows of the grid (the first images, sorted)")
    parser.add_argument("--scale", type=int, default=3, help="upscaling of the 32-pixel-high tiles")


def draw_rectification(config, out_path, max_images=16, scale=3, settings=None):
    """``tools/vis_rectify.py``: the grid of the first ``max_images`` of ``Global.infer_img``
    through the trained model of ``config``; prints the readings, returns them."""
    settings = settings or GlobalSettings.of(config)
    trained = TrainedModel.from_config(
        config, why=" (an untrained rectifier only shows its initial, near-identity warp)", settings=settings)
    pipeline = dygraph_pipeline(trained, max_image_pixels=settings.max_image_pixels or None)
    paths = list_images(settings.infer_img)[: max(1, max_images)]
    readings = visualize_rectification(pipeline, paths, out_path, scale=max(1, scale))
    for path, text, score in readings:
        print(f"{path}\t{text}\t{score:.4f}")
    print(f"rectification grid written to {out_path}")
    return readings
