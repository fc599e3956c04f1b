"""The one inference pipeline: images -> encoded bytes (checked) -> preprocessing -> a backend's
``run`` -> decoded text. The dygraph model of a config (``tools/infer_rec.py``), Paddle inference
and onnxruntime on an exported folder (``TextRecognizer``: the Python API, ``predict_rec.py`` and
the service) are its three backends (``backends.py``).

Results are JSON-friendly: a reading is a plain ``(text, score)`` tuple (``score`` a float, the
decoder's mean probability of the kept characters); an image that was not read is a ``Skipped``,
a ``dict`` ``{"skipped": REASON}``, in its slot.

Example::

    trained = TrainedModel.from_config(config)            # trained weights
    pipeline = dygraph_pipeline(trained, batch_size=6)
    pipeline("doc/imgs_words_en/word_10.png")              # ('defaults', 0.99...)
    pipeline(["doc/imgs_words_en/word_10.png", b"x"])      # [('defaults', 0.99...), Skipped('undecodable image: ...')]
"""
import time

import cv2
import numpy as np

from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.inference.image_input import MAX_IMAGE_PIXELS, UnreadableImage, as_image_list, encoded_image


class Skipped(dict):
    """An image that was not read, in the slot of its input: ``{"skipped": REASON}``, a plain dict
    as JSON sees it; ``reason`` is the same one-line string (a missing file, no image, too many
    pixels)."""

    def __init__(self, reason):
        super().__init__(skipped=str(reason))

    @property
    def reason(self):
        return self["skipped"]

    def __repr__(self):
        return f"Skipped({self.reason!r})"


def pixel_limit(value):
    """``max_image_pixels`` checked: a positive integer, or None for no limit."""
    return None if value is None else positive_int(value, "max_image_pixels")


def positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise UserError(f"{name}={value!r}: expected a positive integer")
    return int(value)


def in_order(arrays, batch_size):
    """``(positions, batch)`` pairs: the arrays stacked ``batch_size`` at a time, in order."""
    for k in range(0, len(arrays), batch_size):
        yield list(range(k, min(k + batch_size, len(arrays)))), np.stack(arrays[k : k + batch_size])


class Pipeline:
    """``preprocess`` (encoded bytes -> the model's input array, raising ``SkipSample``), ``backend``
    (``run(batch) -> probabilities``) and ``postprocess`` (probabilities -> ``[(text, score)]``),
    run ``batch_size`` images at a time; an image over ``max_image_pixels`` (None: no limit) is
    ``Skipped``. ``times`` accumulates seconds per stage and the images seen.
    One instance must not be called from two threads at once (``prepare`` may be)."""

    def __init__(self, preprocess, backend, postprocess, batch_size=6, max_image_pixels=MAX_IMAGE_PIXELS):
        self.preprocess, self.backend, self.postprocess = preprocess, backend, postprocess
        self.batch_size = positive_int(batch_size, "batch_size")
        self.max_image_pixels = pixel_limit(max_image_pixels)
        self.times = {"preprocess": 0.0, "inference": 0.0, "postprocess": 0.0, "images": 0}

    def prepare(self, item):
        """One image -> the model's input array (C, H, W); raises ``UnreadableImage`` naming why.
        Safe to call from several threads (``tools/serve.py`` decodes in parallel)."""
        raw = encoded_image(item, self.max_image_pixels)
        try:
            return self.preprocess(raw)
        except SkipSample as e:
            raise UnreadableImage(str(e)) from None
        except cv2.error as e:  # OpenCV raises, rather than returns None, on some broken files
            raise UnreadableImage(f"undecodable image (OpenCV: {' '.join(str(e).split())[:200]})") from None

    def recognize(self, arrays):
        """Arrays from ``prepare`` -> ``[(text, score)]`` in their order, ``batch_size`` at a time
        (batched as the preprocessing says: ``Preprocessor.batches``)."""
        results = [None] * len(arrays)
        batches = getattr(self.preprocess, "batches", None) or in_order
        start = time.perf_counter()
        for positions, batch in batches(arrays, self.batch_size):
            middle = time.perf_counter()
            self.times["preprocess"] += middle - start
            probs = self.backend.run(batch)
            start = time.perf_counter()
            for p, (text, score) in zip(positions, self.postprocess(probs)):
                results[p] = (str(text), float(score))
            self.times["inference"] += start - middle
            self.times["postprocess"] += time.perf_counter() - start
            start = time.perf_counter()
        return results

    def read(self, items):
        """Checked items (``image_input.as_image_list``) -> ``[(text, score) or Skipped]`` in order."""
        results = [None] * len(items)
        ready = []
        for i, item in enumerate(items):
            start = time.perf_counter()
            try:
                ready.append((i, self.prepare(item)))
            except UnreadableImage as e:
                results[i] = Skipped(e.reason)
            self.times["preprocess"] += time.perf_counter() - start
        for (i, _), result in zip(ready, self.recognize([array for _, array in ready])):
            results[i] = result
        self.times["images"] += len(items)
        return results

    def __call__(self, images):
        """One image -> its result; a list (or tuple) of images -> a list of results in order."""
        items, single = as_image_list(images)
        results = self.read(items)
        return results[0] if single else results


def dygraph_pipeline(trained, batch_size=6, max_image_pixels=MAX_IMAGE_PIXELS):
    """The pipeline of ``trained``, a ``TrainedModel`` (``TrainedModel.from_config``), its model as the backend."""
    from ppocr.inference.backends import DygraphBackend

    return Pipeline(trained.preprocess, DygraphBackend(trained.model), trained.postprocess,
                    batch_size=batch_size, max_image_pixels=max_image_pixels)
