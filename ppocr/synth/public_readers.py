"""The ground-truth formats of the public word sets: one reader per format, each yielding
``(name, label, image)`` for every word, where ``image`` is the encoded bytes of the word's crop
or a ``Dropped`` that says why there is none. ``name`` identifies the word in the set's own terms
(an image file, or ``scene#k`` for the k-th box of a scene): reports and exclusion lists use it.

``icdar``         word crops and a ``gt.txt`` of ``word_1.png, "label"`` lines (ICDAR 2013 focused
                  text and ICDAR 2015 incidental text, word recognition)
``icdar13_boxes`` one ``gt_<image>.txt`` per scene of ``left, top, right, bottom, "label"`` lines,
                  the corners inclusive (ICDAR 2011/2013 text localisation: born-digital images,
                  Challenge 1, comma-separated; focused scene text, Challenge 2, space-separated)
``icdar03_xml``   ICDAR 2003 robust reading ``words.xml``: ``taggedRectangle`` boxes, whose
                  ``offset`` shifts the top edge sideways (a parallelogram around italic text)
``svt``           Street View Text ``train.xml``: the same schema as ICDAR 2003's
``iiit5k``, ``cocotext``, ``labels``: see ``ppocr.synth.public_sets``
"""
import collections
import json
import os
import re
import xml.etree.ElementTree as ET

import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.synth.create_lmdb import read_image

ICDAR_LINE = re.compile(r'^\s*(?P<name>[^,]+?)\s*,\s*"(?P<label>.*)"\s*$')
BOX_LINE = re.compile(r'^\s*(?P<box>-?\d+(?:[,\s]+-?\d+){3})[,\s]+"(?P<label>.*)"\s*$')
# what U+FFFD (a character already lost when the file was written) reads as from ICDAR 2003's words.xml,
# which declares ISO-8859-1 but holds the three UTF-8 bytes of U+FFFD
LOST_AS_LATIN1 = "\ufffd".encode("utf-8").decode("latin-1")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff")


class Dropped(ValueError):
    """A sample left out; ``reason`` is the short key counted in the report."""


def read_icdar(gt_file, images):
    for line_no, line in enumerate(_text_lines(gt_file), start=1):
        match = ICDAR_LINE.match(line)
        if not match:
            yield f"line {line_no}", None, Dropped("malformed gt line")
            continue
        yield match["name"], _unescaped(match["label"]), _file_bytes(images, match["name"])


def read_icdar13_boxes(gt_path, images):
    gt_files = _gt_files(gt_path)
    scenes = _images_by_stem(images)
    if gt_files and not any(_scene_stem(f) in scenes for f in gt_files):
        raise UserError(f"no image of the ground truth (e.g. {_scene_stem(gt_files[0])}.png for "
                        f"{os.path.basename(gt_files[0])}) is in {images!r}: give --images the folder of the "
                        "scene images (for ICDAR 2013 born-digital: Challenge1_Training_Task12_Images)")
    for gt_file in gt_files:
        stem = _scene_stem(gt_file)
        name = scenes.get(stem, stem)
        scene = _decoded(images, name) if stem in scenes else Dropped("image not readable")
        for k, line in enumerate(_text_lines(gt_file)):
            match = BOX_LINE.match(line)
            if not match:
                yield f"{name}#{k}", None, Dropped("malformed gt line")
                continue
            left, top, right, bottom = (int(v) for v in re.split(r"[,\s]+", match["box"]))
            yield f"{name}#{k}", _unescaped(match["label"]).strip(), \
                _cropped(scene, left, top, right - left + 1, bottom - top + 1)


def read_tagged_rectangles(gt_file, images):
    """ICDAR 2003 ``words.xml`` and SVT ``train.xml``; the crop of a slanted box (``offset``) is
    the upright rectangle around its parallelogram, so no stroke is cut off."""
    root = ET.parse(gt_file).getroot()
    for image in root.iter("image"):
        name = image.findtext("imageName", "").strip()
        scene = _decoded(images, name)
        for k, box in enumerate(image.iter("taggedRectangle")):
            x, y, w, h, offset = (float(box.get(a, 0)) for a in ("x", "y", "width", "height", "offset"))
            label = box.findtext("tag", "").replace(LOST_AS_LATIN1, "\ufffd")
            yield f"{name}#{k}", label, _cropped(scene, min(x, x + offset), y, w + abs(offset), h)


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


READERS = {"icdar": read_icdar, "icdar13_boxes": read_icdar13_boxes, "icdar03_xml": read_tagged_rectangles,
           "iiit5k": read_iiit5k, "svt": read_tagged_rectangles, "cocotext": read_cocotext, "labels": read_labels}


def _text_lines(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig", errors="replace")
    return [line for line in text.splitlines() if line.strip()]


def _unescaped(label):
    return label.replace('\\"', '"').replace("\\\\", "\\")


def _gt_files(gt_path):
    """The ``gt_*.txt`` files of a folder in their numbers' order (gt_img_2 before gt_img_10), or the one file."""
    if os.path.isfile(gt_path):
        return [gt_path]
    names = [n for n in os.listdir(gt_path) if n.startswith("gt_") and n.lower().endswith(".txt")]
    if not names:
        raise UserError(f"{gt_path!r} holds no gt_<image>.txt file: give --gt the folder of the localisation "
                        "ground truth (for ICDAR 2013 born-digital: Challenge1_Training_Task1_GT)")
    numbered = [[int(part) if part.isdigit() else part for part in re.split(r"(\d+)", n)] for n in names]
    return [os.path.join(gt_path, n) for _, n in sorted(zip(numbered, names))]


def _scene_stem(gt_file):
    return os.path.splitext(os.path.basename(gt_file))[0][len("gt_"):]


def _images_by_stem(images):
    if not os.path.isdir(images):
        raise UserError(f"the image folder {images!r} does not exist: give --images the folder of the scene images")
    return {os.path.splitext(n)[0]: n for n in sorted(os.listdir(images)) if n.lower().endswith(IMAGE_EXTENSIONS)}


def _file_bytes(images, name):
    try:
        return read_image(images, name)
    except ValueError as e:
        return Dropped(str(e).split(":")[0])


def _decoded(images, name):
    """The scene as a BGR array, or why not. Pillow reads GIFs (OpenCV reads them only from 4.11 on,
    with transparent pixels in their palette colour) and whatever else OpenCV cannot, transparent
    pixels laid on white as a web page shows them."""
    path = os.path.join(images, name)
    scene = None if name.lower().endswith(".gif") else cv2.imread(path, flags=cv2.IMREAD_COLOR)
    if scene is not None:
        return scene
    try:
        from PIL import Image

        with Image.open(path) as img:
            rgba = img.convert("RGBA")
    except (OSError, ValueError):
        return Dropped("image not readable")
    page = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return cv2.cvtColor(np.asarray(Image.alpha_composite(page, rgba).convert("RGB")), cv2.COLOR_RGB2BGR)


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
