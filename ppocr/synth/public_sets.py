"""The public real word-crop sets, read in the form their authors distribute them, into LMDBs.

Recognisers trained on MJSynth and SynthText are often fine-tuned on, or trained beside, the
*training* splits of the real benchmarks (Baek et al., "What If We Only Use Real Datasets for
Scene Text Recognition?", CVPR 2021). The readers (``ppocr.synth.public_readers``) yield
``(name, label, image bytes)`` for each format:

``icdar``         ICDAR 2013 focused (Challenge 2) and 2015 incidental (Challenge 4) word recognition:
                  a ``gt.txt`` of ``word_1.png, "label"`` lines beside the crops (``###``: do not care)
``icdar13_boxes`` ICDAR 2013 born-digital (Challenge 1) text localisation: a folder of ``gt_img_1.txt``
                  files of ``left, top, right, bottom, "label"`` lines; the words cut from the images
``icdar03_xml``   ICDAR 2003 robust reading: ``words.xml``, the words cut from the scenes by their boxes
``iiit5k``        IIIT 5K-Word: ``traindata.mat`` (needs scipy) or a ``path<TAB>label`` file
``svt``           Street View Text: ``train.xml``, the words cropped from the scene images by their boxes
``cocotext``      COCO-Text: ``COCO_Text.json`` (v1.4) or ``cocotext.v2.json`` and the COCO 2014 images;
                  legible, machine-printed, English words of the ``train`` images, cropped
``labels``        any ``image_path<TAB>label`` file

The test splits of these sets are for reporting only: nothing here picks a split for you, so
convert only the training files, and leave out (``exclude``) the words ``tools/find_leaks.py``
finds in a test set. Labels are kept as written, or (``normalise="alnum36"``) lower-cased with
everything but 0-9a-z taken out, as the field's 36-character models read them. Each sample's
name is stored beside it (``meta-%09d``, ``{"name": ...}``), so a leak check of the LMDB can
name what to exclude.

Example::

    from ppocr.synth.public_sets import convert_public_set
    report = convert_public_set("icdar", "ch4_training_word_images_gt/gt.txt", "train_data/real/ic15",
                                normalise="alnum36", val_fraction=0.1)
    print(report)   # kept 4021 for training, 447 for validation; dropped 0 ...
"""
import collections
import json
import logging
import os
import re

import numpy as np

from ppocr.data.lmdb_format import LMDBWriter, Sample
from ppocr.errors import UserError
from ppocr.synth.public_readers import READERS, Dropped
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")
FORMATS = tuple(READERS)
NORMALISE = ("none", "alnum36")
DONT_CARE = "###"
EXCLUDED = "listed by --exclude"


def normalised(label, normalise):
    if normalise == "alnum36":
        return re.sub(r"[^0-9a-z]", "", label.lower())
    return label


class Report:
    """What a conversion kept, dropped (by reason, with examples) and changed."""

    def __init__(self):
        self.kept = collections.Counter()  # split -> count
        self.dropped = collections.Counter()
        self.examples = collections.defaultdict(list)
        self.changed = 0
        self.unmatched = []  # names of the exclusion list that are no sample of the set

    def drop(self, reason, name):
        self.dropped[reason] += 1
        if len(self.examples[reason]) < 3:
            self.examples[reason].append(name)

    def as_dict(self):
        return {"kept": dict(self.kept), "dropped": dict(self.dropped), "labels_changed": self.changed,
                "examples": dict(self.examples), "exclusions_unmatched": len(self.unmatched)}

    def __str__(self):
        kept = ", ".join(f"{n} for {split}" for split, n in sorted(self.kept.items()))
        lines = [f"kept {sum(self.kept.values())} ({kept or 'none'}); labels changed by normalising: "
                 f"{self.changed}; dropped {sum(self.dropped.values())}"]
        for reason, n in self.dropped.most_common():
            lines.append(f"  dropped {n}: {reason} (e.g. {', '.join(self.examples[reason])})")
        return "\n".join(lines)


def read_name_list(path):
    """The sample names of an exclusion list: one a line, blank lines and ``#`` comments left out.

    Example::

        from ppocr.synth.public_sets import read_name_list
        read_name_list("leaks/exclude_ic13bd.txt")   # {'img_12.png#3', ...}
    """
    if not os.path.isfile(path):
        raise UserError(f"exclusion list {path!r} does not exist: give the exclude_<set>.txt that "
                        "tools/find_leaks.py wrote (one sample name a line)")
    with open(path, encoding="utf-8-sig") as f:
        return {line.rstrip("\r\n") for line in f if line.strip() and not line.startswith("#")}


def convert_public_set(fmt, gt_file, out_dir, images=None, normalise="none", max_len=25, val_fraction=0.0,
                       seed=0, exclude=(), progress=False):
    """Convert one public set into ``out_dir`` (an LMDB; with ``val_fraction`` > 0, two:
    ``out_dir/train`` and ``out_dir/val``, a fixed random part by ``seed``) and write
    ``out_dir/report.json``; returns the ``Report``. ``images``: the folder the ground truth's
    image names are relative to (default: the ground-truth file's folder). ``exclude``: names of
    samples to leave out (the test-set leaks ``find_leaks`` names); leaving a sample out moves no
    other between train and val."""
    from ppocr.utils.progress import ProgressBar, logging_above_bars

    if fmt not in READERS:
        raise UserError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if normalise not in NORMALISE:
        raise UserError(f"unknown normalisation {normalise!r}: choose one of {', '.join(NORMALISE)}")
    if not os.path.exists(gt_file):
        raise UserError(f"ground truth {gt_file!r} does not exist")
    if os.path.isdir(gt_file) and fmt != "icdar13_boxes":
        raise UserError(f"{gt_file!r} is a folder: the {fmt!r} format reads one ground-truth file (a folder of "
                        "gt_<image>.txt files is the icdar13_boxes format)")
    if not 0.0 <= float(val_fraction) < 1.0:
        raise UserError(f"val_fraction must be in [0, 1), got {val_fraction}")
    if images is None:
        images = os.path.dirname(os.path.abspath(gt_file))
    exclude, seen = set(exclude), set()
    splits = {"train": os.path.join(out_dir, "train"), "val": os.path.join(out_dir, "val")} if val_fraction else \
        {"train": out_dir}
    writers = {split: LMDBWriter(path) for split, path in splits.items()}
    report, rng = Report(), np.random.default_rng([int(seed), 0xC0DE])
    pending = {split: [] for split in splits}

    def flush(split):
        writers[split].write(report.kept[split] - len(pending[split]), pending[split])
        pending[split] = []

    try:
        with logging_above_bars(), ProgressBar(desc=fmt, unit="word", disable=not progress, dynamic_ncols=True) as bar:
            for name, label, image in READERS[fmt](gt_file, images):
                bar.update(1)
                # drawn for every sample, kept or not: an exclusion list changes no other sample's split
                split = "val" if val_fraction and rng.random() < val_fraction else "train"
                reason = EXCLUDED if name in exclude else _why_dropped(label, image, normalise, max_len)
                seen.add(name)
                if reason:
                    report.drop(reason, name)
                    continue
                text = normalised(label, normalise)
                report.changed += text != label
                pending[split].append(Sample(text, image, {"name": name}))
                report.kept[split] += 1
                if len(pending[split]) >= 500:
                    flush(split)
        for split in splits:
            flush(split)
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    for split, writer in writers.items():
        writer.close(report.kept[split])
    if val_fraction and not report.kept["val"]:
        logger.warning("no sample went to the validation set (%d kept, val_fraction %g): raise --val_fraction "
                       "or leave it out", report.kept["train"], val_fraction)
    report.unmatched = sorted(exclude - seen)
    if report.unmatched:
        logger.warning("%d names of the exclusion list are no sample of this set (e.g. %s): was the list made "
                       "for another set, or from the LMDB of another conversion?", len(report.unmatched),
                       ", ".join(report.unmatched[:3]))
    summary = dict(report.as_dict(), format=fmt, gt_file=os.path.basename(os.path.normpath(gt_file)),
                   normalise=normalise, max_len=max_len, val_fraction=val_fraction, seed=seed)
    atomic_write_bytes(os.path.join(out_dir, "report.json"),
                       json.dumps(summary, indent=1, ensure_ascii=False).encode("utf-8"))
    return report


def _why_dropped(label, image, normalise, max_len):
    if isinstance(image, Dropped):
        return str(image)
    if label is None or not label.strip():
        return "empty label"
    if label.strip() == DONT_CARE:
        return "marked do-not-care (###)"
    if "\ufffd" in label:
        return "a character of the label lost in the ground truth (U+FFFD)"
    text = normalised(label, normalise)
    if not text:
        return "nothing left after normalising"
    if len(text) > max_len:
        return f"longer than {max_len} characters"
    return None
