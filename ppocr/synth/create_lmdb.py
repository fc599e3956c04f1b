"""A folder of word images plus a SimpleDataSet label file -> an LMDB in the standard layout.

The label file has one ``image_path<TAB>label`` line per sample, the path relative to
``data_dir``. Lines are read and written a chunk at a time, so a label file of millions of
lines needs no more memory than one chunk of images. A line that cannot become a sample (no
tab, an empty path or label, bytes that are not UTF-8, an image that is missing or does not
decode) is reported with its line number, counted and skipped; blank lines are ignored, as
SimpleDataSet ignores them.

Example::

    from ppocr.synth.create_lmdb import create_lmdb_dataset
    summary = create_lmdb_dataset("train_data/words/labels.txt", "train_data/words_lmdb")
    summary.written, summary.skipped   # 998, [(17, 'image does not decode: a.jpg'), ...]
"""
import collections
import logging
import os

import cv2
import numpy as np

from ppocr.data.lmdb_format import LMDBWriter, remove_lmdb
from ppocr.errors import UserError

logger = logging.getLogger("ppocr")


class Summary:
    """What a conversion did: ``written`` samples, ``skipped`` [(line number, reason)]."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.written = 0
        self.skipped = []

    def skip(self, line_no, reason):
        self.skipped.append((line_no, reason))
        logger.warning("line %d skipped: %s", line_no, reason)

    def counts(self):
        """{reason kind: count}, the kind being a reason without its path."""
        return dict(collections.Counter(reason.split(":")[0] for _, reason in self.skipped))

    def __str__(self):
        text = f"wrote {self.written} samples to {self.out_dir}"
        if self.skipped:
            kinds = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.counts().items()))
            text += f"; skipped {len(self.skipped)} lines ({kinds})"
        return text


def parse_line(raw, delimiter=b"\t"):
    """``(path, label)`` of one label-file line (bytes, without its line ending).

    Raises ValueError with the reason when the line is malformed.
    """
    path, sep, label = raw.partition(delimiter)
    if not sep:
        raise ValueError("malformed line: no tab between the image path and the label")
    try:
        path, label = path.decode("utf-8").strip(), label.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("malformed line: not UTF-8 text") from None
    if not path:
        raise ValueError("malformed line: empty image path")
    if not label.strip():
        raise ValueError("malformed line: empty label")
    return path, label


def read_image(data_dir, path):
    """The encoded bytes of ``data_dir/path`` if they decode as an image; else ValueError."""
    full = os.path.join(data_dir, path)
    try:
        with open(full, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ValueError(f"image not readable: {full} ({e.strerror})") from None
    img = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), flags=cv2.IMREAD_COLOR) if raw else None
    if img is None or img.size == 0:
        raise ValueError(f"image does not decode: {full}")
    return raw


def count_lines(path, block=1 << 20):
    """Lines of a file (a last line without a newline counts), read in blocks."""
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while True:
            data = f.read(block)
            if not data:
                break
            lines += data.count(b"\n")
            last = data[-1:]
    return lines + (last != b"\n")


def create_lmdb_dataset(label_file, out_dir, data_dir=None, chunk_size=1000, delimiter="\t", progress=False):
    """Write the samples of ``label_file`` (images under ``data_dir``, default the label file's
    folder) into a new LMDB at ``out_dir``; returns a ``Summary``.

    Example::

        create_lmdb_dataset("train_data/words/labels.txt", "train_data/words_lmdb", progress=True)
    """
    from ppocr.utils.progress import ProgressBar, logging_above_bars

    if not os.path.isfile(label_file):
        raise UserError(f"label file {label_file!r} does not exist: give a file of 'image_path<TAB>label' lines")
    if int(chunk_size) < 1:
        raise UserError(f"chunk_size must be a positive number of samples, got {chunk_size}")
    data_dir = os.path.dirname(os.path.abspath(label_file)) if data_dir is None else data_dir
    if not os.path.isdir(data_dir):
        raise UserError(f"data_dir {data_dir!r} is not a folder: give the folder the image paths are relative to")
    total = count_lines(label_file)
    writer = LMDBWriter(out_dir)
    summary = Summary(out_dir)
    chunk = []
    try:
        with open(label_file, "rb") as f, logging_above_bars(), ProgressBar(
                total=total, desc="lmdb", unit="line", disable=not progress, dynamic_ncols=True) as bar:
            for line_no, raw in enumerate(f, start=1):
                bar.update(1)
                raw = raw.rstrip(b"\r\n")
                if not raw.strip():
                    continue
                try:
                    path, label = parse_line(raw, delimiter.encode("utf-8"))
                    chunk.append((label, read_image(data_dir, path)))
                except ValueError as e:
                    summary.skip(line_no, str(e))
                    continue
                if len(chunk) >= chunk_size:
                    writer.write(summary.written, chunk)
                    summary.written += len(chunk)
                    chunk = []
        if chunk:
            writer.write(summary.written, chunk)
            summary.written += len(chunk)
    except BaseException:
        writer.abort()  # no num-samples: an interrupted run leaves no LMDB a dataset would accept
        raise
    writer.close(summary.written)
    if summary.written == 0:
        remove_lmdb(out_dir)
        raise UserError(f"no usable line in {label_file!r} ({len(summary.skipped)} skipped): "
                        "check the 'image_path<TAB>label' format and that data_dir is the images' folder")
    return summary
