"""What training-time inference (infer_rec) and deployment (predict_rec) share: the image
preprocessing taken from the config's Eval transforms, and the listing of input images. Nothing
here imports Paddle (the data ops do not)."""
import logging
import os

import numpy as np

from ppocr.data.imaug import DATA_OPS
from ppocr.errors import UserError

logger = logging.getLogger("ppocr")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pgm", ".ppm")


def image_transforms(config):
    """The Eval (else Train) transforms without label ops, keeping only the image."""
    section = config.get("Eval") or config.get("Train")
    if not section:
        raise UserError("the config has neither an Eval nor a Train section to take the preprocessing from")
    ops = []
    for op in section["dataset"]["transforms"]:
        name = next(iter(op))
        if getattr(DATA_OPS.get(name), "encodes_label", False) or name in ("KeepKeys", "RecAug"):
            continue
        ops.append(op)
    ops.append({"KeepKeys": {"keep_keys": ["image"]}})
    return ops


class Preprocessor:
    """Encoded image bytes -> the model's input array (C, H, W), through the registered ops;
    ``batches`` stacks such arrays into the model's batches.

    An op with ``collate`` (``BatchRecResizeImg``) sizes a whole batch at once: each image then
    stays as that op leaves it, and ``batches`` takes the images in the op's ``order``.
    """

    def __init__(self, transforms):
        from ppocr.data import build_ops

        self.transforms = transforms
        self.ops = build_ops(transforms, charset=None)
        shapes = [op.output_shape for op in self.ops if getattr(op, "output_shape", None)]
        self.output_shape = list(shapes[-1]) if shapes else None
        self.batch_op = next((op for op in self.ops if hasattr(op, "collate")), None)

    def __call__(self, image_bytes):
        """Raises ``ppocr.data.SkipSample`` for an image that cannot be decoded."""
        data = {"image": image_bytes}
        for op in self.ops:
            data = op(data)
        image = data["image"] if isinstance(data, dict) else data[0]
        return image if self.batch_op is not None else np.asarray(image, dtype="float32")

    def batches(self, arrays, batch_size):
        """``(positions, batch)`` pairs that cover ``arrays`` (this preprocessor's outputs),
        ``batch_size`` at a time: ``batch`` is the model's input for ``arrays[p]``, p in ``positions``."""
        order = self.batch_op.order(arrays) if self.batch_op is not None else list(range(len(arrays)))
        for k in range(0, len(order), batch_size):
            positions = order[k : k + batch_size]
            items = [arrays[p] for p in positions]
            yield positions, (self.batch_op.collate(items) if self.batch_op is not None else np.stack(items))


def list_images(path):
    """``path`` itself if a file, else the image files of the folder (sorted); other files and the
    sub-folders of the folder are reported and left out. No image at all is a UserError."""
    if not path:
        raise UserError("no input image given: set Global.infer_img / --image_dir to an image file or a folder")
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        raise UserError(f"{path!r} is neither an image file nor a folder: check the path")
    images, others, folders = [], [], []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if os.path.isfile(full):
            (images if name.lower().endswith(IMAGE_EXTENSIONS) else others).append(full)
        elif os.path.isdir(full):
            folders.append(full)
    if others:
        logger.warning("skipping %d files that are not images: %s", len(others), ", ".join(others[:5]))
    if folders:
        logger.warning("skipping %d sub-folders (only the folder's own images are read; name a sub-folder to read "
                       "its images): %s", len(folders), ", ".join(folders[:5]))
    if not images:
        raise UserError(f"folder {path!r} holds no images (looked for {', '.join(IMAGE_EXTENSIONS)})")
    return images


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()
