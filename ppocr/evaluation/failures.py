"""The wrongly read samples of an evaluation, for error analysis: ``failures.tsv`` (every one)
and a PNG contact sheet per set (the first ``max_tiles`` of it, each with prediction and label).

The sheet shows what the model saw: the batch's normalised input turned back into pixels by the
resize op's own inverse (``to_uint8``). That needs no second read of the data, works for every
dataset class and for every rank's shard, and shows the resizing, padding and grey conversion
that often explain an error; the TSV's set and index locate the original image.
"""
import logging
import os
import re
from typing import NamedTuple, Optional

import cv2
import numpy as np
import paddle.distributed as dist

from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")

TSV_HEADER = ("set", "index", "label", "prediction", "score", "unusable")
TILE_HEIGHT, TILE_TEXT, COLUMNS = 64, 36, 6


class Failure(NamedTuple):
    set_number: int
    set_name: str
    index: int  # 0-based position in its set: one LMDB's key image-%09d is index + 1
    label: str
    prediction: str
    score: float
    unusable: int
    pixels: Optional[np.ndarray]  # the model's input as uint8, for the first max_tiles of a set


class FailureLog:
    """Collects failures while ``evaluate_sets`` runs; ``write(out_dir)`` gathers every process's
    and writes the files (on rank 0).

    Example::

        failures = FailureLog()
        report = evaluate_sets(model, loaders, postprocess, metric, charset, failures=failures)
        failures.write("output/rec/best_accuracy.failures")   # failures.tsv, <set>.png
    """

    def __init__(self, max_tiles=400):
        self.max_tiles = int(max_tiles)
        self.rows = []  # Failure
        self.sets, self.to_uint8, self.tiles = [], None, 0

    def start_set(self, name, dataset=None):
        """Following ``add`` calls belong to set ``name``; ``dataset``'s ops give the un-normalisation."""
        self.sets.append(name)
        ops = getattr(dataset, "ops", None) or []
        self.to_uint8 = next((op.to_uint8 for op in reversed(ops) if hasattr(op, "to_uint8")), None)
        self.tiles = 0

    def add(self, first_index, batch, results, correct, valid):
        images = None
        for i in np.flatnonzero(~np.asarray(correct, dtype=bool)):
            tile = None
            if self.tiles < self.max_tiles:
                if images is None:
                    images = batch["image"].numpy() if hasattr(batch["image"], "numpy") else np.asarray(batch["image"])
                tile = self._pixels(images[i])
                self.tiles += 1
            pred, score = results[i]
            self.rows.append(Failure(len(self.sets) - 1, self.sets[-1], int(first_index + i), batch["text"][i],
                                     pred, float(score), int(not valid[i]), tile))

    def _pixels(self, chw):
        if self.to_uint8 is not None:
            return self.to_uint8(chw)
        # no known inverse (a custom op): stretch the value range, enough to see the word
        lo, hi = float(chw.min()), float(chw.max())
        return np.rint((chw - lo) * (255.0 / max(hi - lo, 1e-6))).astype(np.uint8).transpose((1, 2, 0))

    def gather(self):
        """Every process's rows, in set order then sample index (the same on every rank)."""
        rows = self.rows
        if dist.get_world_size() > 1:
            parts = []
            dist.all_gather_object(parts, rows)
            rows = [Failure(*row) for part in parts for row in part]
        return sorted(rows, key=lambda r: (r.set_number, r.index))

    def write(self, out_dir):
        """``out_dir/failures.tsv`` and ``out_dir/<set>.png``; returns the paths (rank 0, else [])."""
        rows = self.gather()  # every rank takes part in the collective
        if dist.get_rank() != 0:
            return []
        os.makedirs(out_dir, exist_ok=True)
        tsv = os.path.join(out_dir, "failures.tsv")
        lines = ["\t".join(TSV_HEADER)]
        lines += ["\t".join((_field(r.set_name), str(r.index), _field(r.label), _field(r.prediction),
                             f"{r.score:.4f}", str(r.unusable))) for r in rows]
        atomic_write_bytes(tsv, ("\n".join(lines) + "\n").encode("utf-8"))
        paths = [tsv]
        for number, name in enumerate(self.sets):
            tiles = [r for r in rows if r.set_number == number][: self.max_tiles]
            if tiles:
                path = os.path.join(out_dir, re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".png")
                ok, png = cv2.imencode(".png", contact_sheet([(r.pixels, r.prediction, r.label) for r in tiles]))
                if not ok:
                    raise RuntimeError(f"cannot encode the contact sheet of {name} as PNG")
                atomic_write_bytes(path, png.tobytes())
                paths.append(path)
        logger.info("%d wrongly read samples written to %s", len(rows), out_dir)
        return paths


def contact_sheet(tiles, columns=COLUMNS):
    """One BGR image of [(pixels (H, W, C) uint8 or None, prediction, label)] in a grid."""
    width = max((int(round(t.shape[1] * TILE_HEIGHT / t.shape[0])) for t, _, _ in tiles if t is not None),
                default=3 * TILE_HEIGHT)
    cell_w, cell_h = width + 8, TILE_HEIGHT + TILE_TEXT + 8
    rows = -(-len(tiles) // columns)
    sheet = np.full((rows * cell_h, min(columns, len(tiles)) * cell_w, 3), 255, dtype=np.uint8)
    for k, (pixels, pred, label) in enumerate(tiles):
        y, x = (k // columns) * cell_h + 4, (k % columns) * cell_w + 4
        if pixels is not None:
            img = cv2.cvtColor(pixels, code=cv2.COLOR_GRAY2BGR) if pixels.shape[2] == 1 else pixels[:, :, :3]
            w = int(round(img.shape[1] * TILE_HEIGHT / img.shape[0]))
            sheet[y : y + TILE_HEIGHT, x : x + min(w, width)] = cv2.resize(
                img, dsize=(w, TILE_HEIGHT), interpolation=cv2.INTER_NEAREST)[:, :width]
        for line, (text, colour) in enumerate(((f"pred: {pred}", (0, 0, 200)), (f"gt:   {label}", (0, 130, 0)))):
            cv2.putText(sheet, _drawable(text, width), org=(x, y + TILE_HEIGHT + 14 + 16 * line),
                        fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=0.42, color=colour, thickness=1,
                        lineType=cv2.LINE_AA)
    return sheet


def _drawable(text, width):
    # OpenCV's fonts draw ASCII only; the TSV keeps the exact strings
    text = "".join(c if 32 <= ord(c) < 127 else "?" for c in text)
    limit = max(8, width // 8)
    return text if len(text) <= limit else text[: limit - 2] + ".."


def _field(text):
    return str(text).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
