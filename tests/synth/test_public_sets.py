"""convert_public_set / tools/convert_public_set.py: each public set's own ground-truth format
read into an LMDB, with a report of what was kept, dropped and changed; small fixtures written
here in each format (no real set is needed)."""
import json
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from ppocr.data.lmdb_format import read_samples
from ppocr.errors import UserError
from ppocr.synth.public_sets import convert_public_set, normalised

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def word_image(path, width=60, height=20, shade=0):
    img = np.full((height, width, 3), 255 - shade, dtype=np.uint8)
    cv2.putText(img, "ab", (2, height - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    cv2.imwrite(str(path), img)
    return img


def lmdb_samples(path):
    return [(sample.label, sample.image) for _, sample in read_samples(str(path))]


def test_icdar_ground_truth_with_bom_quotes_and_do_not_care(tmp_path):
    for i in range(1, 6):
        word_image(tmp_path / f"word_{i}.png")
    gt = '\ufeffword_1.png, "Genaxis Theatre"\nword_2.png, "[06]"\nword_3.png, "###"\n' \
         'word_4.png, "say \\"hi\\""\nword_5.png, "62-03"\nword_9.png, "missing"\nnot a gt line\n'
    (tmp_path / "gt.txt").write_text(gt, encoding="utf-8")
    report = convert_public_set("icdar", str(tmp_path / "gt.txt"), str(tmp_path / "out"))
    samples = lmdb_samples(tmp_path / "out")
    assert [label for label, _ in samples] == ["Genaxis Theatre", "[06]", 'say "hi"', "62-03"]
    assert samples[0][1] == (tmp_path / "word_1.png").read_bytes()  # the file's own bytes
    assert report.kept == {"train": 4} and report.changed == 0
    assert report.dropped == {"marked do-not-care (###)": 1, "image not readable": 1, "malformed gt line": 1}
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["dropped"]["image not readable"] == 1 and saved["examples"]["image not readable"] == ["word_9.png"]


def test_alnum36_normalising_and_validation_split_are_reproducible(tmp_path):
    lines = []
    for i in range(200):
        word_image(tmp_path / f"w{i}.png")
        lines.append(f"w{i}.png\tWord-{i}!")
    lines.append("w0.png\t--")  # nothing left once normalised
    (tmp_path / "labels.txt").write_text("\n".join(lines) + "\n")
    report = convert_public_set("labels", str(tmp_path / "labels.txt"), str(tmp_path / "a"), normalise="alnum36",
                                val_fraction=0.2, seed=5)
    again = convert_public_set("labels", str(tmp_path / "labels.txt"), str(tmp_path / "b"), normalise="alnum36",
                               val_fraction=0.2, seed=5)
    train, val = lmdb_samples(tmp_path / "a" / "train"), lmdb_samples(tmp_path / "a" / "val")
    assert len(train) + len(val) == 200 and 20 <= len(val) <= 60
    assert report.kept == {"train": len(train), "val": len(val)} and report.changed == 200
    assert report.dropped == {"nothing left after normalising": 1}
    assert {label for label, _ in train + val} == {f"word{i}" for i in range(200)}
    assert lmdb_samples(tmp_path / "b" / "val") == val and again.kept == report.kept
    assert normalised("Café No.5", "alnum36") == "cafno5" and normalised("Café", "none") == "Café"


def test_svt_words_are_cut_from_the_scenes_by_their_boxes(tmp_path):
    scene = np.zeros((100, 200, 3), dtype=np.uint8)
    scene[10:30, 20:80] = 255
    (tmp_path / "img").mkdir()
    cv2.imwrite(str(tmp_path / "img" / "s1.png"), scene)
    xml = """<tagset><image><imageName>img/s1.png</imageName><taggedRectangles>
      <taggedRectangle height="20" width="60" x="20" y="10"><tag>LIVING</tag></taggedRectangle>
      <taggedRectangle height="30" width="50" x="180" y="80"><tag>EDGE</tag></taggedRectangle>
      <taggedRectangle height="5" width="5" x="300" y="300"><tag>OUT</tag></taggedRectangle>
    </taggedRectangles></image></tagset>"""
    (tmp_path / "train.xml").write_text(xml)
    report = convert_public_set("svt", str(tmp_path / "train.xml"), str(tmp_path / "out"))
    samples = lmdb_samples(tmp_path / "out")
    assert [label for label, _ in samples] == ["LIVING", "EDGE"]
    crop = cv2.imdecode(np.frombuffer(samples[0][1], dtype=np.uint8), cv2.IMREAD_COLOR)
    assert crop.shape == (20, 60, 3) and crop.min() == 255  # exactly the white box
    edge = cv2.imdecode(np.frombuffer(samples[1][1], dtype=np.uint8), cv2.IMREAD_COLOR)
    assert edge.shape == (20, 20, 3)  # clipped to the scene
    assert report.dropped == {"box outside the image or under 2 pixels": 1}


def test_cocotext_keeps_legible_machine_printed_english_words_of_train_images(tmp_path):
    cv2.imwrite(str(tmp_path / "a.jpg"), np.full((50, 50, 3), 128, dtype=np.uint8))
    cv2.imwrite(str(tmp_path / "b.jpg"), np.full((50, 50, 3), 128, dtype=np.uint8))
    anns = {
        "1": {"id": 1, "image_id": 1, "bbox": [5, 5, 20, 10], "utf8_string": "STOP", "legibility": "legible",
              "class": "machine printed", "language": "english"},
        "2": {"id": 2, "image_id": 1, "bbox": [5, 5, 20, 10], "utf8_string": "", "legibility": "illegible",
              "class": "machine printed", "language": "english"},
        "3": {"id": 3, "image_id": 1, "bbox": [5, 5, 20, 10], "utf8_string": "hand", "legibility": "legible",
              "class": "handwritten", "language": "english"},
        "4": {"id": 4, "image_id": 1, "bbox": [5, 5, 20, 10], "utf8_string": "Ciao", "legibility": "legible",
              "class": "machine printed", "language": "not english"},
        "5": {"id": 5, "image_id": 2, "bbox": [5, 5, 20, 10], "utf8_string": "VAL", "legibility": "legible",
              "class": "machine printed", "language": "english"},
    }
    imgs = {"1": {"id": 1, "file_name": "a.jpg", "set": "train"}, "2": {"id": 2, "file_name": "b.jpg", "set": "val"}}
    (tmp_path / "cocotext.json").write_text(json.dumps({"anns": anns, "imgs": imgs}))
    report = convert_public_set("cocotext", str(tmp_path / "cocotext.json"), str(tmp_path / "out"))
    assert [label for label, _ in lmdb_samples(tmp_path / "out")] == ["STOP"]  # COCO-Text's val images stay out
    assert report.dropped == {"illegible or handwritten": 2, "not English": 1}


def test_iiit5k_mat_file(tmp_path):
    from scipy import io as scipy_io  # installed with albumentations
    (tmp_path / "train").mkdir()
    word_image(tmp_path / "train" / "1_1.png")
    word_image(tmp_path / "train" / "1_2.png")
    records = np.zeros((1, 2), dtype=[("ImgName", object), ("GroundTruth", object)])
    records[0, 0] = (np.array(["train/1_1.png"]), np.array(["YOU"]))
    records[0, 1] = (np.array(["train/1_2.png"]), np.array(["Rescue"]))
    scipy_io.savemat(str(tmp_path / "traindata.mat"), {"traindata": records})
    convert_public_set("iiit5k", str(tmp_path / "traindata.mat"), str(tmp_path / "out"), normalise="alnum36")
    assert [label for label, _ in lmdb_samples(tmp_path / "out")] == ["you", "rescue"]


def test_bad_arguments_are_user_errors(tmp_path):
    (tmp_path / "gt.txt").write_text("x")
    with pytest.raises(UserError, match="unknown format"):
        convert_public_set("mjsynth", str(tmp_path / "gt.txt"), str(tmp_path / "o"))
    with pytest.raises(UserError, match="does not exist"):
        convert_public_set("icdar", str(tmp_path / "none.txt"), str(tmp_path / "o"))
    with pytest.raises(UserError, match="val_fraction"):
        convert_public_set("icdar", str(tmp_path / "gt.txt"), str(tmp_path / "o"), val_fraction=1.5)


@pytest.mark.subprocess_tools
def test_the_tool_prints_the_report(tmp_path):
    word_image(tmp_path / "word_1.png")
    (tmp_path / "gt.txt").write_text('word_1.png, "Hello!"\nword_2.png, "gone"\n')
    out = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert_public_set.py"), "--format", "icdar",
                          "--gt", str(tmp_path / "gt.txt"), "--out", str(tmp_path / "lmdb"), "--normalise", "alnum36"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "kept 1 (1 for train); labels changed by normalising: 1; dropped 1" in out.stdout
    assert "dropped 1: image not readable (e.g. word_2.png)" in out.stdout
    assert lmdb_samples(tmp_path / "lmdb")[0][0] == "hello"


def test_an_empty_validation_split_is_said(tmp_path, caplog):
    word_image(tmp_path / "w.png")
    (tmp_path / "labels.txt").write_text("w.png\tone\nw.png\ttwo\n")
    with caplog.at_level("WARNING", logger="ppocr"):
        report = convert_public_set("labels", str(tmp_path / "labels.txt"), str(tmp_path / "o"), val_fraction=0.01)
    assert report.kept["val"] == 0
    assert "no sample went to the validation set (2 kept, val_fraction 0.01)" in caplog.text
