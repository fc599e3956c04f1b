"""The public real word-crop sets, read in the form their authors distribute them, into LMDBs.

Recognisers trained on MJSynth and SynthText are often fine-tuned on, or trained beside, the
*training* splits of the real benchmarks (Baek et al., "What If We Only Use Real Datasets for
Scene Text Recognition?", CVPR 2021). Each reader yields ``(name, label, image bytes)``:

``icdar``     ICDAR 2013 focused (Challenge 2) and 2015 incidental (Challenge 4) word recognition:
              a ``gt.txt`` of ``word_1.png, "label"`` lines beside the crops (``###``: do not care)
``iiit5k``    IIIT 5K-Word: ``traindata.mat`` (needs scipy) or a ``path<TAB>label`` file
``svt``       Street View Text: ``train.xml``, the words cropped from the scene images by their boxes
``cocotext``  COCO-Text: ``COCO_Text.json`` (v1.4) or ``cocotext.v2.json`` and the COCO 2014 images;
              legible, machine-printed, English words of the ``train`` images, cropped
``labels``    any ``image_path<TAB>label`` file

The test splits of these sets are for reporting only: nothing here picks a split for you, so
convert only the training files. Labels are kept as written, or (``normalise="alnum36"``)
lower-cased with everything but 0-9a-z taken out, as the field's 36-character models read them.

Example::

    report = convert_public_set("icdar", "ch4_training_word_images_gt/gt.txt", "train_data/real/ic15",
                                normalise="alnum36", val_fraction=0.1)
    print(report)   # kept 4021 for training, 447 for validation; dropped 0 ...
"""
import collections
import json
import logging
import os
import re
import xml.etree.ElementTree as ET

import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.synth.create_lmdb import read_image
from ppocr.synth.writers import LMDBWriter

logger = logging.getLogger("ppocr")
FORMATS = ("icdar", "iiit5k", "svt", "cocotext", "labels")
NORMALISE = ("none", "alnum36")
ICDAR_LINE = re.compile(r'^\s*(?P<name>[^,]+?)\s*,\s*"(?P<label>.*)"\s*$')
DONT_CARE = "###"


class Dropped(ValueError):
    """A sample left out; ``reason`` is the short key counted in the report."""


def read_icdar(gt_file, images):
    for line_no, line in enumerate(_text_lines(gt_file), start=1):
        match = ICDAR_LINE.match(line)
        if not match:
            yield f"line {line_no}", None, Dropped("malformed gt line")
            continue
        label = match["label"].replace('\\"', '"').replace("\\\\", "\\")
        yield match["name"], label, _file_bytes(images, match["name"])


def read_iiit5k(gt_file, images):
    if gt_file.lower().endswith(".mat"):
        try:
            from scipy.io import loadmat
        except ImportError:
            raise UserError("reading IIIT5K's .mat files needs scipy: pip install scipy (or give a "
                            "'path<TAB>label' file)") from None
        mat = loadmat(gt_file)
        key = next((k for k in mat if not k.startswith("__")), None)
        for entry in mat[key][0]:
            name, label = str(entry["ImgName"][0]), str(entry["GroundTruth"][0])
            yield name, label, _file_bytes(images, name)
        return
    yield from read_labels(gt_file, images)


def read_labels(gt_file, images):
    for line_no, line in enumerate(_text_lines(gt_file), start=1):
        path, sep, label = line.partition("\t")
        if not sep or not path.strip():
            yield f"line {line_no}", None, Dropped("malformed gt line")
            continue
        yield path.strip(), label, _file_bytes(images, path.strip())


def read_svt(gt_file, images):
    root = ET.parse(gt_file).getroot()
    for image in root.iter("image"):
        name = image.findtext("imageName", "").strip()
        scene = _decoded(images, name)
        for k, box in enumerate(image.iter("taggedRectangle")):
            x, y, w, h = (int(float(box.get(a, 0))) for a in ("x", "y", "width", "height"))
            yield f"{name}#{k}", box.findtext("tag", ""), _cropped(scene, x, y, w, h)


def read_cocotext(gt_file, images):
    with open(gt_file, encoding="utf-8") as f:
        data = json.load(f)
    imgs = data["imgs"]
    by_image = collections.defaultdict(list)
    for ann in data["anns"].values():
        if imgs[str(ann["image_id"])].get("set") == "train":
            by_image[str(ann["image_id"])].append(ann)
    for image_id in sorted(by_image, key=int):
        name = imgs[image_id]["file_name"]
        scene = _decoded(images, name)
        for ann in sorted(by_image[image_id], key=lambda a: a["id"]):
            label = ann.get("utf8_string", "")
            if ann.get("legibility") != "legible" or ann.get("class") != "machine printed":
                yield f"{name}#{ann['id']}", label, Dropped("illegible or handwritten")
            elif ann.get("language", "english") != "english":
                yield f"{name}#{ann['id']}", label, Dropped("not English")
            else:
                x, y, w, h = ann["bbox"]
                yield f"{name}#{ann['id']}", label, _cropped(scene, x, y, w, h)


READERS = {"icdar": read_icdar, "iiit5k": read_iiit5k, "svt": read_svt, "cocotext": read_cocotext,
           "labels": read_labels}


def _text_lines(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig", errors="replace")
    return [line for line in text.splitlines() if line.strip()]


def _file_bytes(images, name):
    try:
        return read_image(images, name)
    except ValueError as e:
        return Dropped(str(e).split(":")[0])


def _decoded(images, name):
    path = os.path.join(images, name)
    scene = cv2.imread(path, flags=cv2.IMREAD_COLOR)
    return scene if scene is not None else Dropped("image not readable")


def _cropped(scene, x, y, w, h):
    """The box's pixels as PNG bytes (clipped to the image), or why not."""
    if isinstance(scene, Dropped):
        return scene
    x0, y0 = max(0, int(round(x))), max(0, int(round(y)))
    x1, y1 = min(scene.shape[1], int(round(x + w))), min(scene.shape[0], int(round(y + h)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return Dropped("box outside the image or under 2 pixels")
    ok, buf = cv2.imencode(".png", scene[y0:y1, x0:x1])
    return buf.tobytes() if ok else Dropped("crop does not encode")


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

    def drop(self, reason, name):
        self.dropped[reason] += 1
        if len(self.examples[reason]) < 3:
            self.examples[reason].append(name)

    def as_dict(self):
        return {"kept": dict(self.kept), "dropped": dict(self.dropped), "labels_changed": self.changed,
                "examples": dict(self.examples)}

    def __str__(self):
        kept = ", ".join(f"{n} for {split}" for split, n in sorted(self.kept.items()))
        lines = [f"kept {sum(self.kept.values())} ({kept or 'none'}); labels changed by normalising: "
                 f"{self.changed}; dropped {sum(self.dropped.values())}"]
        for reason, n in self.dropped.most_common():
            lines.append(f"  dropped {n}: {reason} (e.g. {', '.join(self.examples[reason])})")
        return "\n".join(lines)


def convert_public_set(fmt, gt_file, out_dir, images=None, normalise="none", max_len=25, val_fraction=0.0,
                       seed=0, progress=False):
    """Convert one public set into ``out_dir`` (an LMDB; with ``val_fraction`` > 0, two:
    ``out_dir/train`` and ``out_dir/val``, a fixed random part by ``seed``) and write
    ``out_dir/report.json``; returns the ``Report``. ``images``: the folder the ground truth's
    image names are relative to (default: the ground-truth file's folder)."""
    from ppocr.utils.progress import ProgressBar, logging_above_bars

    if fmt not in READERS:
        raise UserError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if normalise not in NORMALISE:
        raise UserError(f"unknown normalisation {normalise!r}: choose one of {', '.join(NORMALISE)}")
    if not os.path.isfile(gt_file):
        raise UserError(f"ground-truth file {gt_file!r} does not exist")
    if not 0.0 <= float(val_fraction) < 1.0:
        raise UserError(f"val_fraction must be in [0, 1), got {val_fraction}")
    images = os.path.dirname(os.path.abspath(gt_file)) if images is None else images
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
                split = "val" if val_fraction and rng.random() < val_fraction else "train"
                reason = _why_dropped(label, image, normalise, max_len)
                if reason:
                    report.drop(reason, name)
                    continue
                text = normalised(label, normalise)
                report.changed += text != label
                pending[split].append((text, image))
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
    with open(os.path.join(out_dir, "report.json"), "w", encoding="utf-8") as f:
        json.dump(dict(report.as_dict(), format=fmt, gt_file=os.path.basename(gt_file), normalise=normalise,
                       max_len=max_len, val_fraction=val_fraction, seed=seed), f, indent=1, ensure_ascii=False)
    return report


def _why_dropped(label, image, normalise, max_len):
    if isinstance(image, Dropped):
        return str(image)
    if label is None or not label.strip():
        return "empty label"
    if label.strip() == DONT_CARE:
        return "marked do-not-care (###)"
    text = normalised(label, normalise)
    if not text:
        return "nothing left after normalising"
    if len(text) > max_len:
        return f"longer than {max_len} characters"
    return None
