"""Word images listed in label files: one ``image_path<TAB>label`` line per sample, the image
path relative to ``dataset.data_dir``.

Only the label files are read at start (kept as raw bytes with line offsets, not one Python
object per line, so forked workers share them); images are read when a sample is asked for.
"""
import logging
import os

import numpy as np

from ppocr.charset import UnusableLabel
from ppocr.data.base_dataset import RecDataSet, set_names
from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.registry import DATASETS

logger = logging.getLogger("ppocr")
SHOWN_BAD_LINES = 5  # the first few bad lines are named when the dataset is built; all are counted


def line_spans(raw):
    """(starts, ends) of the non-empty lines of ``raw`` (bytes), '\\r\\n' or '\\n' endings."""
    buf = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(buf == ord("\n"))
    starts = np.concatenate([[0], newlines + 1]).astype(np.int64)
    ends = np.concatenate([newlines, [len(buf)]]).astype(np.int64)
    has_cr = np.zeros(len(ends), dtype=bool)
    nonempty = ends > starts
    has_cr[nonempty] = buf[ends[nonempty] - 1] == ord("\r")
    ends = ends - has_cr
    keep = ends > starts
    return starts[keep], ends[keep]


def bad_lines(raw, starts, delimiter, data_dir, charset=None):
    """[(line number, why)] of the lines of ``raw`` starting at ``starts`` that cannot be used: not
    UTF-8, no delimiter, no image file, or (with ``charset``) a label it cannot encode. Read from the
    label file and the file listing only (no image is decoded), so it is cheap when the set is built."""
    newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    numbers = np.searchsorted(newlines, starts) + 1
    bad = []
    for number, start in zip(numbers.tolist(), starts.tolist()):
        end = raw.find(b"\n", start)
        line = raw[start : end if end >= 0 else len(raw)].rstrip(b"\r")
        name, sep, label = line.partition(delimiter)
        try:
            name, label = name.decode("utf-8"), label.decode("utf-8")
        except UnicodeDecodeError:
            bad.append((number, "label line is not UTF-8"))
            continue
        if not sep:
            bad.append((number, f"label line has no delimiter ({delimiter.decode()!r}): {line[:60].decode(errors='replace')!r}"))
        elif not os.path.isfile(os.path.join(data_dir, name)):
            bad.append((number, f"missing image file {os.path.join(data_dir, name)!r}"))
        elif charset is not None:
            try:
                charset.encode(label)
            except UnusableLabel as e:
                bad.append((number, f"{e.reason} ({label!r})"))
    return bad


def ratios_for(ratio_list, n_files):
    """One sampling ratio per label file: a float applies to all, a list gives one per file."""
    ratios = [ratio_list] * n_files if isinstance(ratio_list, (int, float)) else list(ratio_list)
    if len(ratios) != n_files:
        raise UserError(f"SimpleDataSet: ratio_list has {len(ratios)} values for {n_files} label files; "
                        "give one ratio per file in label_file_list (or one number for all)")
    for r in ratios:
        if not isinstance(r, (int, float)) or not 0 < r <= 1:
            raise UserError(f"SimpleDataSet: each ratio_list value must be in (0, 1], got {r!r}")
    return [float(r) for r in ratios]


@DATASETS.register()
class SimpleDataSet(RecDataSet):
    """Samples of ``dataset.label_file_list``; ``ratio_list`` keeps that fraction of each file
    (the same lines for the same seed).

    Example::

        # train.txt:  images/word_1.jpg\\thello
        ds = SimpleDataSet(config, "Train", charset)   # Train.dataset: {data_dir, label_file_list, ...}
    """

    options = ("data_dir", "transforms", "label_file_list", "ratio_list", "delimiter", "ext_op_transform_idx")

    def __init__(self, config, mode, charset, seed=0):
        super().__init__(config, mode, charset, seed=seed)
        cfg = self.dataset_config
        self.data_dir = cfg.get("data_dir") or ""
        self.delimiter = cfg.get("delimiter", "\t").encode("utf-8")
        files = cfg.get("label_file_list")
        files = [files] if isinstance(files, str) else list(files or [])
        if not files:
            raise UserError(f"SimpleDataSet needs {mode}.dataset.label_file_list: label files of 'path<TAB>label' lines")
        ratios = ratios_for(cfg.get("ratio_list", 1.0), len(files))
        self.blobs, file_no, starts, ends = [], [], [], []
        for i, (path, ratio) in enumerate(zip(files, ratios)):
            if not os.path.isfile(path):
                raise UserError(f"SimpleDataSet: label file {path!r} does not exist; check {mode}.dataset.label_file_list")
            with open(path, "rb") as f:
                raw = f.read()
            s, e = line_spans(raw)
            if ratio < 1.0:
                rng = np.random.default_rng([self.seed, i])
                chosen = np.sort(rng.choice(len(s), size=int(round(len(s) * ratio)), replace=False))
                s, e = s[chosen], e[chosen]
            bad = bad_lines(raw, s, self.delimiter, self.data_dir, charset if self.is_train else None)
            logger.info("%s: %d samples from %s (ratio %g), %d usable", mode, len(s), path, ratio, len(s) - len(bad))
            if bad:
                named = "; ".join(f"{path}:{number}: {why}" for number, why in bad[:SHOWN_BAD_LINES])
                more = f" (and {len(bad) - SHOWN_BAD_LINES} more)" if len(bad) > SHOWN_BAD_LINES else ""
                logger.warning("%s: %d lines of %s cannot be %s: %s%s", mode, len(bad), path,
                               "trained on (each is skipped)" if self.is_train else "read (each scores as wrong)",
                               named, more)
            self.blobs.append(raw)
            file_no.append(np.full(len(s), i, dtype=np.int32))
            starts.append(s)
            ends.append(e)
        self.file_no = np.concatenate(file_no)
        self.starts = np.concatenate(starts)
        self.ends = np.concatenate(ends)

    @classmethod
    def list_sets(cls, dataset_config):
        """One set per label file, named by the file (without its extension)."""
        files = dataset_config.get("label_file_list")
        files = [files] if isinstance(files, str) else list(files or [])
        names = set_names([os.path.splitext(f)[0] for f in files]) if files else ["eval"]
        if len(files) <= 1:
            return [(names[0], dataset_config)]  # an empty list is reported when the dataset is built
        ratios = ratios_for(dataset_config.get("ratio_list", 1.0), len(files))
        return [(name, dict(dataset_config, label_file_list=[f], ratio_list=[r]))
                for name, f, r in zip(names, files, ratios)]

    def __len__(self):
        return len(self.starts)

    def read_sample(self, idx, sample):
        line = self.blobs[self.file_no[idx]][self.starts[idx] : self.ends[idx]]
        name, sep, label = line.partition(self.delimiter)
        try:
            name, sample["label"] = name.decode("utf-8"), label.decode("utf-8")
        except UnicodeDecodeError:
            raise SkipSample("label line is not UTF-8", repr(line[:80])) from None
        if not sep:
            raise SkipSample("label line has no delimiter", repr(line[:80]))
        path = os.path.join(self.data_dir, name)
        try:
            with open(path, "rb") as f:
                sample["image"] = f.read()
        except OSError:
            raise SkipSample("missing image file", path) from None
