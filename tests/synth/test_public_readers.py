"""The box formats of ppocr/synth/public_readers.py (ICDAR 2013 localisation ground truth, ICDAR
2003 words.xml) and the exclusion list of convert_public_set, on small scenes written here whose
pixels say where they are, so a crop off by one pixel shows."""
import json
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from ppocr.data.lmdb_format import read_samples
from ppocr.errors import UserError
from ppocr.synth.public_sets import convert_public_set, read_name_list
from tests.synth.test_public_sets import REPO, lmdb_samples


def coordinate_scene(width, height):
    """A BGR scene whose blue channel is x and green channel is y (both < 256)."""
    xs, ys = np.meshgrid(np.arange(width, dtype=np.uint8), np.arange(height, dtype=np.uint8))
    return np.dstack([xs, ys, np.full_like(xs, 7)])


def decoded(raw):
    return cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), cv2.IMREAD_COLOR)


def lmdb_names(path):
    return [sample.meta["name"] for _, sample in read_samples(str(path))]


@pytest.fixture
def born_digital(tmp_path):
    """Three scenes (PNG, GIF with a transparent part, JPEG) and their gt_<image>.txt files, written
    as the real set writes them: CRLF, commas after each number, quotes escaped with a backslash."""
    images, gt = tmp_path / "images", tmp_path / "gt"
    images.mkdir(), gt.mkdir()
    cv2.imwrite(str(images / "img_1.png"), coordinate_scene(120, 60))
    gif = np.full((40, 80), 1, dtype=np.uint8)
    gif[:, 40:] = 0  # palette entry 0 is transparent: shown on white
    page = Image.fromarray(gif, mode="P")
    page.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    page.save(images / "img_2.gif", transparency=0)
    cv2.imwrite(str(images / "img_10.jpg"), np.full((30, 30, 3), 90, dtype=np.uint8))
    (gt / "gt_img_1.txt").write_bytes(
        '\ufeff10, 5, 29, 14, "AWAY,"\r\n40, 20, 49, 29, "\\"CLuB\\""\r\n0, 0, 5, 5, "###"\r\n'
        '60, 30, 70, 30, "-"\r\n1, 40, 8, 50, "  353-1 "\r\n50, 50, 55, 52, " "\r\nnot a box\r\n'.encode("utf-8"))
    (gt / "gt_img_2.txt").write_bytes(b'30 5 49 14 "Caf\xc3\xa9"\r\n')  # Challenge 2 separates with spaces
    (gt / "gt_img_10.txt").write_bytes(b'2, 2, 9, 9, "10"\r\n')
    return gt, images


def test_icdar13_boxes_cuts_each_inclusive_box_in_the_numbers_order(born_digital, tmp_path):
    gt, images = born_digital
    report = convert_public_set("icdar13_boxes", str(gt), str(tmp_path / "out"), images=str(images))
    samples = lmdb_samples(tmp_path / "out")
    assert [label for label, _ in samples] == ["AWAY,", '"CLuB"', "353-1", "Café", "10"]
    assert lmdb_names(tmp_path / "out") == ["img_1.png#0", "img_1.png#1", "img_1.png#4", "img_2.gif#0", "img_10.jpg#0"]
    away = decoded(samples[0][1])
    assert away.shape == (10, 20, 3)  # rows 5..14 and columns 10..29, both ends inside the box
    assert (away[0, 0, 0], away[0, 0, 1], away[-1, -1, 0], away[-1, -1, 1]) == (10, 5, 29, 14)
    gif = decoded(samples[3][1])
    assert gif.shape == (10, 20, 3)
    assert (gif[:, :10] == (30, 30, 200)).all() and (gif[:, 10:] == 255).all()  # transparent: white
    assert report.dropped == {"marked do-not-care (###)": 1, "box outside the image or under 2 pixels": 1,
                              "empty label": 1, "malformed gt line": 1}
    assert report.examples["box outside the image or under 2 pixels"] == ["img_1.png#3"]


def test_icdar13_boxes_says_where_the_images_are_expected(born_digital, tmp_path):
    gt, _ = born_digital
    with pytest.raises(UserError, match=r"no image of the ground truth \(e.g. img_1.png for gt_img_1.txt\).*--images"):
        convert_public_set("icdar13_boxes", str(gt), str(tmp_path / "out"))
    with pytest.raises(UserError, match="holds no gt_<image>.txt"):
        convert_public_set("icdar13_boxes", str(tmp_path), str(tmp_path / "out2"), images=str(gt))
    with pytest.raises(UserError, match="is a folder: the 'icdar' format reads one ground-truth file"):
        convert_public_set("icdar", str(gt), str(tmp_path / "out3"))


def test_icdar03_words_xml_slanted_boxes_and_lost_characters(tmp_path):
    (tmp_path / "day").mkdir()
    cv2.imwrite(str(tmp_path / "day" / "IMG_1.JPG"), coordinate_scene(200, 100))  # JPEG: values move a little
    xml = (b'<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<tagset><image><imageName>day/IMG_1.JPG</imageName>'
           b'<resolution x="200" y="100" /><taggedRectangles>'
           b'<taggedRectangle x="20.0" y="10.0" width="60.0" height="30.0" offset="0.0" rotation="0.0">'
           b'<tag>self</tag><segmentation /></taggedRectangle>'
           b'<taggedRectangle x="100.0" y="50.0" width="40.0" height="20.0" offset="12.0" rotation="0.0">'
           b'<tag>Ford</tag></taggedRectangle>'
           b'<taggedRectangle x="100.0" y="50.0" width="40.0" height="20.0" offset="-8.0" rotation="0.0">'
           b'<tag>back</tag></taggedRectangle>'
           b'<taggedRectangle x="10.0" y="60.0" width="50.0" height="20.0" offset="0.0" rotation="0.0">'
           b'<tag>Caf\xef\xbf\xbd</tag></taggedRectangle>'
           b'<taggedRectangle x="70.0" y="60.0" width="50.0" height="20.0" offset="0.0" rotation="0.0">'
           b'<tag>Caf\xe9</tag></taggedRectangle>'
           b'</taggedRectangles></image></tagset>\r\n')
    (tmp_path / "words.xml").write_bytes(xml)
    report = convert_public_set("icdar03_xml", str(tmp_path / "words.xml"), str(tmp_path / "out"))
    samples = lmdb_samples(tmp_path / "out")
    assert [label for label, _ in samples] == ["self", "Ford", "back", "Café"]
    shapes = [decoded(raw).shape[:2] for _, raw in samples]
    assert shapes == [(30, 60), (20, 52), (20, 48), (20, 50)]  # a slanted box: the rectangle around it
    left_edges = [int(decoded(raw)[10, 0, 0]) for _, raw in samples[1:3]]
    assert abs(left_edges[0] - 100) <= 3 and abs(left_edges[1] - 92) <= 3  # -8: the top edge leans left
    assert report.dropped == {"a character of the label lost in the ground truth (U+FFFD)": 1}
    assert report.examples["a character of the label lost in the ground truth (U+FFFD)"] == ["day/IMG_1.JPG#3"]


def test_an_exclusion_list_leaves_its_samples_out_and_moves_no_other(tmp_path, caplog):
    lines = []
    for i in range(60):
        cv2.imwrite(str(tmp_path / f"w{i}.png"), np.full((8, 20, 3), i, dtype=np.uint8))
        lines.append(f"w{i}.png\tword{i}")
    (tmp_path / "labels.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / "exclude.txt").write_text("# leaks of w3 and w17\nw3.png\n\nw17.png\nother_set.png\n")
    assert read_name_list(str(tmp_path / "exclude.txt")) == {"w3.png", "w17.png", "other_set.png"}
    whole = convert_public_set("labels", str(tmp_path / "labels.txt"), str(tmp_path / "a"), val_fraction=0.3)
    with caplog.at_level("WARNING", logger="ppocr"):
        cut = convert_public_set("labels", str(tmp_path / "labels.txt"), str(tmp_path / "b"), val_fraction=0.3,
                                 exclude=read_name_list(str(tmp_path / "exclude.txt")))
    assert cut.dropped == {"listed by --exclude": 2} and cut.unmatched == ["other_set.png"]
    assert "1 names of the exclusion list are no sample of this set (e.g. other_set.png)" in caplog.text
    for split in ("train", "val"):
        before, after = lmdb_names(tmp_path / "a" / split), lmdb_names(tmp_path / "b" / split)
        assert after == [n for n in before if n not in ("w3.png", "w17.png")]
    assert sum(whole.kept.values()) - sum(cut.kept.values()) == 2
    saved = json.loads((tmp_path / "b" / "report.json").read_text())
    assert saved["exclusions_unmatched"] == 1 and saved["dropped"] == {"listed by --exclude": 2}


@pytest.mark.subprocess_tools
def test_the_tool_takes_exclusion_lists(tmp_path):
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"w{i}.png"), np.full((8, 20, 3), 40 * i, dtype=np.uint8))
    (tmp_path / "labels.txt").write_text("w0.png\tzero\nw1.png\tone\nw2.png\ttwo\n")
    (tmp_path / "x1.txt").write_text("w0.png\n")
    (tmp_path / "x2.txt").write_text("w2.png\n")
    out = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert_public_set.py"), "--format", "labels",
                          "--gt", str(tmp_path / "labels.txt"), "--out", str(tmp_path / "lmdb"),
                          "--exclude", str(tmp_path / "x1.txt"), "--exclude", str(tmp_path / "x2.txt")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "dropped 2: listed by --exclude (e.g. w0.png, w2.png)" in out.stdout
    assert [label for label, _ in lmdb_samples(tmp_path / "lmdb")] == ["one"]
    missing = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert_public_set.py"), "--format",
                              "labels", "--gt", str(tmp_path / "labels.txt"), "--out", str(tmp_path / "lmdb2"),
                              "--exclude", str(tmp_path / "none.txt")], capture_output=True, text=True, check=False)
    assert missing.returncode != 0 and "exclusion list" in missing.stderr and "does not exist" in missing.stderr
