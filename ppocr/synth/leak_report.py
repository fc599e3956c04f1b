"""What a leak check leaves behind: a table of the pairs, a summary, one exclusion list per
training set (``convert_public_set --exclude`` reads it), and a contact sheet for a person to
confirm the pairs by eye.

Example::

    from ppocr.synth.leak_report import draw_sheet, write_reports
    written = write_reports(check, "leaks/")   # leaks.tsv, report.json, exclude_<set>.txt
    draw_sheet(check, "leaks/pairs.png")
"""
import json
import os

import cv2
import numpy as np

from ppocr.synth.leaks import LEAKS
from ppocr.utils.io import atomic_write_bytes

COLUMNS = ("verdict", "correlation", "train_set", "train_name", "train_label", "test_set", "test_name", "test_label")
CROP_SIZE = (160, 40)  # width, height of each crop on the sheet
CAPTION = 16
COLOURS = {"exact": (0, 0, 200), "near": (0, 0, 200), "recut": (0, 0, 200), "different word": (160, 90, 0)}  # BGR


def write_reports(check, out_dir):
    """``leaks.tsv`` (every pair, leaks first), ``report.json`` (counts per training set and test set)
    and ``exclude_<training set>.txt`` (one crop name a line) in ``out_dir``; returns their paths."""
    paths = [os.path.join(out_dir, "leaks.tsv"), os.path.join(out_dir, "report.json")]
    rows = ["\t".join(COLUMNS)] + ["\t".join([m.verdict, f"{m.score:.4f}", m.train_set, _cell(m.train_name),
                                              _cell(m.train_label), m.test_set, _cell(m.test_name),
                                              _cell(m.test_label)]) for m in check.matches]
    atomic_write_bytes(paths[0], ("\n".join(rows) + "\n").encode("utf-8"))
    summary = {"threshold": check.threshold, "thumbnail": "grey 32x12, mean removed, unit length",
               "recut": check.recut, "whole_scenes": check.whole_scenes, "labels_compared": "alnum36",
               "test_sets": {t.name: len(t) for t in check.test_sets}, "train_sets": {}}
    for train in check.train_sets:
        excluded = check.excluded(train)
        name = os.path.join(out_dir, f"exclude_{train.name}.txt")
        header = (f"# {len(excluded)} crops of {train.name} to leave out: test crops (exact, near: thumbnail "
                  f"correlation >= {check.threshold:g} with the same word"
                  + (f", recut: registered correlation >= {check.recut:g}" if check.recut is not None else "")
                  + ")" + (" and the other crops of their scenes" if check.whole_scenes else "")
                  + "; one name a line\n")
        atomic_write_bytes(name, (header + "".join(f"{n}\n" for n in excluded)).encode("utf-8"))
        paths.append(name)
        summary["train_sets"][train.name] = {"crops": len(train), "excluded": len(excluded),
                                             "leaks": len(check.of(train, LEAKS)), **check.counts(train),
                                             "unreadable": len(train.unreadable),
                                             "exclusion_list": os.path.basename(name)}
    atomic_write_bytes(paths[1], json.dumps(summary, indent=1, ensure_ascii=False).encode("utf-8"))
    return paths


def _cell(text):
    return text.replace("\t", " ").replace("\n", " ")


def draw_sheet(check, path, max_pairs=400, columns=2):
    """The pairs side by side (training crop, then test crop), each under a caption with the
    verdict, the correlation and both labels; leaks first, captions in red, look-alikes in blue.
    Returns the number of pairs drawn (at most ``max_pairs``), or 0 (no sheet) when there is none."""
    pairs = check.matches[:max_pairs]
    if not pairs:
        return 0
    sets = {s.name: s for s in (*check.train_sets, *check.test_sets)}
    tiles = [_pair_tile(m, sets[m.train_set].image(m.train_index), sets[m.test_set].image(m.test_index))
             for m in pairs]
    blank = np.full_like(tiles[0], 255)
    tiles += [blank] * (-len(tiles) % columns)
    rows = [np.concatenate(tiles[i:i + columns], axis=1) for i in range(0, len(tiles), columns)]
    ok, buf = cv2.imencode(".png", np.concatenate(rows, axis=0))
    atomic_write_bytes(path, buf.tobytes())
    return len(pairs)


def _pair_tile(match, train_img, test_img):
    width, height = CROP_SIZE
    tile = np.full((CAPTION + height + 6, 2 * width + 18, 3), 255, dtype=np.uint8)
    for k, img in enumerate((train_img, test_img)):
        x = 4 + k * (width + 8)
        if img is None:
            cv2.putText(tile, "not readable", (x, CAPTION + 20), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
            continue
        scale = min(width / img.shape[1], height / img.shape[0])
        fitted = cv2.resize(img, (max(1, round(img.shape[1] * scale)), max(1, round(img.shape[0] * scale))),
                            interpolation=cv2.INTER_AREA)
        tile[CAPTION:CAPTION + fitted.shape[0], x:x + fitted.shape[1]] = fitted
    caption = f"{match.verdict} {match.score:.3f}  {match.train_label} | {match.test_label} ({match.test_set})"
    cv2.putText(tile, _ascii(caption), (4, CAPTION - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.38,
                COLOURS[match.verdict], 1, cv2.LINE_AA)
    return tile


def _ascii(text):
    return text.encode("ascii", "replace").decode("ascii")  # OpenCV's fonts draw ASCII only

