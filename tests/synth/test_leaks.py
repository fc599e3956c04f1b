"""The leak check (ppocr/synth/crop_sets.py, leaks.py, leak_report.py, tools/find_leaks.py) on word
images drawn here: a copy of a test crop, a blurred and recoloured copy, a different word that
looks alike (CLOSED beside CL0SED) and an unrelated word; then its exclusion list through
convert_public_set, and the contact sheet."""
import json
import os
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.synth.crop_sets import CropSet, registered_correlation, thumbnail, to_register
from ppocr.synth.leak_report import CAPTION, CROP_SIZE, draw_sheet, write_reports
from ppocr.synth.leaks import LeakCheck, find_leaks
from ppocr.synth.public_sets import convert_public_set, read_name_list
from tests.synth.test_public_sets import REPO
from tests.helpers.datasets import write_lmdb


def word(text, fg=(20, 20, 20), bg=(235, 235, 235)):
    img = np.full((40, 160, 3), bg, dtype=np.uint8)
    cv2.putText(img, text, (6, 30), cv2.FONT_HERSHEY_DUPLEX, 0.9, fg, 2, cv2.LINE_AA)
    return img


def write_list(folder, name, crops):
    """``folder/name`` of ``path<TAB>label`` lines, the crops written beside it as PNG (lossless)."""
    folder.mkdir(exist_ok=True)
    lines = []
    for file_name, label, img in crops:
        cv2.imwrite(str(folder / file_name), img)
        lines.append(f"{file_name}\t{label}\n")
    (folder / name).write_text("".join(lines), encoding="utf-8")
    return str(folder / name)


@pytest.fixture
def sets(tmp_path):
    test = write_list(tmp_path / "test", "bench_test.txt", [
        ("t0.png", "HELLO", word("HELLO")), ("t1.png", "WINDOW", word("WINDOW")),
        ("t2.png", "CL0SED", word("CL0SED")), ("t3.png", "zebra", word("zebra"))])
    blurred = cv2.GaussianBlur(word("WINDOW", fg=(120, 30, 10), bg=(120, 230, 250)), (3, 3), 0)
    train = write_list(tmp_path / "train", "mine_train.txt", [
        ("a.png", "market", word("market")), ("b.png", "Window!", blurred), ("c.png", "HELLO", word("HELLO")),
        ("d.png", "CLOSED", word("CLOSED")), ("e.png", "Hello", word("PARKING"))])
    return train, test


def test_copies_are_leaks_and_a_look_alike_of_another_word_is_reported_apart(sets):
    train, test = CropSet.load(sets[0]), CropSet.load(sets[1])
    check = find_leaks([train], [test])
    found = [(m.verdict, m.train_name, m.test_name) for m in check.matches]
    assert found == [("exact", "c.png", "t0.png"), ("near", "b.png", "t1.png"), ("different word", "d.png", "t2.png")]
    assert check.matches[1].score > 0.98 and 0.94 <= check.matches[2].score < 0.99
    assert check.excluded(train) == ["b.png", "c.png"]  # in the set's order; the look-alike stays
    assert check.counts(train) == {"exact": {"bench_test": 1}, "near": {"bench_test": 1}, "recut": {},
                                   "different word": {"bench_test": 1}}
    assert str(check).splitlines()[1] == ("mine_train (5 crops): 2 leaks (1 exact: bench_test 1; 1 near: bench_test 1)"
                                          "; 1 look-alike of a different word: bench_test 1")
    strict = find_leaks([train], [test], threshold=0.999)
    assert [(m.verdict, m.train_name) for m in strict.matches] == [("exact", "c.png")]  # pixels match at any threshold


def test_thumbnails_ignore_brightness_and_contrast_but_not_the_word():
    grey = cv2.cvtColor(word("WINDOW"), cv2.COLOR_BGR2GRAY)
    assert float(thumbnail(grey) @ thumbnail(grey // 2 + 100)) == pytest.approx(1.0, abs=1e-3)
    assert float(thumbnail(grey) @ thumbnail(cv2.cvtColor(word("zebra"), cv2.COLOR_BGR2GRAY))) < 0.8
    assert not thumbnail(np.full((20, 50), 128, dtype=np.uint8)).any()  # a flat crop matches nothing


def scene(text, font=cv2.FONT_HERSHEY_DUPLEX, colour=(30, 30, 160)):
    """A 420x120 photograph-like scene (a smooth gradient) with ``text`` written from (40, 80)."""
    shade = 170 + 50 * np.linspace(0, 1, 420)[None, :, None] + 30 * np.linspace(0, 1, 120)[:, None, None] * (1, .5, .2)
    img = np.array(np.broadcast_to(shade, (120, 420, 3)), dtype=np.uint8)
    cv2.putText(img, text, (40, 80), font, 1.6, colour, 3, cv2.LINE_AA)
    return img


def grey(img):
    return to_register(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))


def looser_cut(img):
    """The word of ``scene`` cut again by a larger box, from a photograph taken from further away."""
    return cv2.resize(img[28:88, 26:274], None, fx=0.8, fy=0.8, interpolation=cv2.INTER_AREA)


def test_registered_correlation_sees_one_word_cut_by_two_boxes():
    tight = scene("HARWICH")[33:83, 36:269]
    again = registered_correlation(grey(tight), grey(looser_cut(scene("HARWICH"))))
    other_font = registered_correlation(grey(tight), grey(scene("HARWICH", cv2.FONT_HERSHEY_SCRIPT_SIMPLEX)[33:83, 36:269]))
    assert again > 0.95 and other_font < 0.9
    assert float(thumbnail(cv2.cvtColor(tight, cv2.COLOR_BGR2GRAY)) @ thumbnail(
        cv2.cvtColor(looser_cut(scene("HARWICH")), cv2.COLOR_BGR2GRAY))) < 0.8  # the thumbnails miss it
    downwards = grey(cv2.rotate(tight, cv2.ROTATE_90_CLOCKWISE))
    assert registered_correlation(grey(tight), downwards) == -1.0
    assert registered_correlation(downwards, grey(cv2.rotate(looser_cut(scene("HARWICH")), cv2.ROTATE_90_CLOCKWISE))) \
        == -1.0  # two words written downwards: a few columns each, too few to tell


def test_recut_words_and_their_scenes_are_leaks(tmp_path):
    """Training words cut from scenes (names scene#k): one is in the test set cut by another box."""
    (tmp_path / "img").mkdir()
    first = scene("HARWICH")
    cv2.putText(first, "the", (300, 110), cv2.FONT_HERSHEY_DUPLEX, 0.6, (30, 30, 160), 1, cv2.LINE_AA)
    cv2.imwrite(str(tmp_path / "img" / "s1.png"), first)
    cv2.imwrite(str(tmp_path / "img" / "s2.png"), scene("zebra"))
    (tmp_path / "train.xml").write_text(
        "<tagset><image><imageName>img/s1.png</imageName><taggedRectangles>"
        '<taggedRectangle x="36" y="33" width="233" height="50"><tag>HARWICH</tag></taggedRectangle>'
        '<taggedRectangle x="296" y="96" width="40" height="18"><tag>the</tag></taggedRectangle>'
        "</taggedRectangles></image><image><imageName>img/s2.png</imageName><taggedRectangles>"
        '<taggedRectangle x="36" y="33" width="150" height="50"><tag>zebra</tag></taggedRectangle>'
        "</taggedRectangles></image></tagset>")
    convert_public_set("svt", str(tmp_path / "train.xml"), str(tmp_path / "words"))
    test = write_list(tmp_path / "test", "bench_test.txt", [("t0.png", "Harwich", looser_cut(scene("HARWICH"))),
                                                            ("t1.png", "market", word("market")),
                                                            ("t2.png", "the", first[94:116, 293:340])])
    train, bench = CropSet.load(str(tmp_path / "words"), keep_grey=True), CropSet.load(test, keep_grey=True)
    assert find_leaks([train], [bench]).matches == []  # the thumbnails alone miss it
    check = find_leaks([train], [bench], recut=0.9, whole_scenes=True)
    # "the" is in the test set too, but words under four characters are not compared as re-cuts
    assert [(m.verdict, m.train_name, m.test_name) for m in check.matches] == [("recut", "img/s1.png#0", "t0.png")]
    assert check.excluded(train) == ["img/s1.png#0", "img/s1.png#1"]  # the scene's other word goes too
    assert "words (3 crops): 1 leak (1 recut: bench_test 1), 1 more crops of their scenes" in str(check)
    assert find_leaks([train], [bench], recut=0.9).excluded(train) == ["img/s1.png#0"]
    with pytest.raises(UserError, match="keep_grey=True"):
        find_leaks([CropSet.load(str(tmp_path / "words"))], [bench], recut=0.9)


def test_the_exclusion_list_keeps_the_leaks_out_of_a_converted_lmdb(sets, tmp_path):
    """convert -> check the LMDB (its crops carry their names) -> convert again without the leaks."""
    train_list, test_list = sets
    convert_public_set("labels", train_list, str(tmp_path / "all"))
    lmdb_set = CropSet.load(str(tmp_path / "all"))
    assert lmdb_set.name == "all" and lmdb_set.names == ["a.png", "b.png", "c.png", "d.png", "e.png"]
    check = find_leaks([lmdb_set], [CropSet.load(test_list)])
    written = write_reports(check, str(tmp_path / "leaks"))
    assert [os.path.basename(p) for p in written] == ["leaks.tsv", "report.json", "exclude_all.txt"]
    assert read_name_list(str(tmp_path / "leaks" / "exclude_all.txt")) == {"b.png", "c.png"}
    rows = (tmp_path / "leaks" / "leaks.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t")[:4] == ["verdict", "correlation", "train_set", "train_name"]
    assert [r.split("\t")[0] for r in rows[1:]] == ["exact", "near", "different word"]
    assert rows[2].split("\t")[4:] == ["Window!", "bench_test", "t1.png", "WINDOW"]
    summary = json.loads((tmp_path / "leaks" / "report.json").read_text())
    assert summary["train_sets"]["all"]["excluded"] == 2 and summary["test_sets"] == {"bench_test": 4}
    report = convert_public_set("labels", train_list, str(tmp_path / "clean"),
                                exclude=read_name_list(str(tmp_path / "leaks" / "exclude_all.txt")))
    assert report.dropped == {"listed by --exclude": 2} and report.unmatched == []
    assert CropSet.load(str(tmp_path / "clean")).names == ["a.png", "d.png", "e.png"]


def test_an_lmdb_without_names_names_its_crops_by_index(tmp_path):
    write_lmdb(tmp_path / "plain", [("HELLO", cv2.imencode(".png", word("HELLO"))[1].tobytes()), ("gone", b"not an image")])
    crops = CropSet.load(str(tmp_path / "plain"))
    assert crops.names == [f"{tmp_path / 'plain'}@1"] and crops.unreadable == [(f"{tmp_path / 'plain'}@2",
                                                                                 "image not readable")]
    assert crops.image(0).shape == (40, 160, 3)


def test_the_sheet_shows_each_pair_side_by_side(sets, tmp_path):
    train, test = CropSet.load(sets[0]), CropSet.load(sets[1])
    check = find_leaks([train], [test])
    assert draw_sheet(check, str(tmp_path / "pairs.png"), columns=2) == 3
    sheet = cv2.imread(str(tmp_path / "pairs.png"))
    tile_h, tile_w = CAPTION + CROP_SIZE[1] + 6, 2 * CROP_SIZE[0] + 18
    assert sheet.shape == (2 * tile_h, 2 * tile_w, 3)  # three pairs on two rows of two
    first_train = sheet[CAPTION:CAPTION + 40, 4:164]  # the crops are 160x40: drawn at their size
    first_test = sheet[CAPTION:CAPTION + 40, 4 + CROP_SIZE[0] + 8:4 + 2 * CROP_SIZE[0] + 8]
    assert (first_train == word("HELLO")).all() and (first_test == word("HELLO")).all()
    caption = sheet[:CAPTION, :tile_w]
    assert ((caption[..., 2] > 150) & (caption[..., 0] < 80)).any()  # a leak's caption is red
    nothing = LeakCheck([train], [test], 0.94, [])
    assert draw_sheet(nothing, str(tmp_path / "none.png")) == 0 and not (tmp_path / "none.png").exists()


def test_ten_thousand_by_ten_thousand_crops_in_seconds():
    """The correlation is a matrix product per block: 10^8 pairs must not take minutes. The bound
    is loose (it runs in about 5 s on two busy cores) so that a loaded machine does not fail it."""
    rng = np.random.default_rng(0)

    def random_set(name, n):
        crops = CropSet(name)
        feats = rng.standard_normal((n, 384)).astype(np.float32)
        crops.thumbs = list(feats / np.linalg.norm(feats, axis=1, keepdims=True))
        crops.names, crops.labels = [f"{name}{i}" for i in range(n)], [f"w{i}" for i in range(n)]
        crops.digests, crops.where = [f"{name}{i}" for i in range(n)], [None] * n
        return crops

    train, test = random_set("train", 10000), random_set("test", 10000)
    for k in range(1, 6):  # planted: train k*1000 is a noisy copy of test k*999, with its word
        copy = test.thumbs[k * 999] + rng.normal(0, 0.004, 384).astype(np.float32)
        train.thumbs[k * 1000], train.labels[k * 1000] = copy / np.linalg.norm(copy), test.labels[k * 999]
    started = time.perf_counter()
    check = find_leaks([train], [test])
    assert time.perf_counter() - started < 90
    assert [(m.train_index, m.test_index, m.verdict) for m in sorted(check.matches, key=lambda m: m.train_index)] \
        == [(k * 1000, k * 999, "near") for k in range(1, 6)]


@pytest.mark.subprocess_tools
def test_the_tool_writes_the_reports_and_the_sheet(sets, tmp_path):
    out = subprocess.run([sys.executable, os.path.join(REPO, "tools", "find_leaks.py"), "--train", sets[0],
                          "--test", sets[1], "--out", str(tmp_path / "leaks"), "--sheet", str(tmp_path / "pairs.png"),
                          "--recut", "0.9", "--whole_scenes"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("test sets: bench_test (4); leaks: the same pixels (exact), or the same alnum36 word "
                                 "at thumbnail correlation >= 0.94 (near) or registered correlation >= 0.9 (recut)\n")
    assert "mine_train (5 crops): 2 leaks (1 exact: bench_test 1; 1 near: bench_test 1), 0 more crops" in out.stdout
    assert (tmp_path / "pairs.png").is_file() and (tmp_path / "leaks" / "exclude_mine_train.txt").is_file()
    same = subprocess.run([sys.executable, os.path.join(REPO, "tools", "find_leaks.py"), "--train", sets[0],
                           "--test", sets[0], "--out", str(tmp_path / "x")], capture_output=True, text=True, check=False)
    assert same.returncode == 2 and "two sets are both called 'mine_train'" in same.stderr


def test_bad_sets_are_user_errors(tmp_path):
    (tmp_path / "no_tab.txt").write_text("a.png label\n")
    with pytest.raises(UserError, match="no tab between the image path and the label"):
        CropSet.load(str(tmp_path / "no_tab.txt"))
    (tmp_path / "missing.txt").write_text("a.png\tlabel\n")
    with pytest.raises(UserError, match="holds no readable crop"):
        CropSet.load(str(tmp_path / "missing.txt"))
    with pytest.raises(UserError, match="neither a path<TAB>label file nor a folder of LMDBs"):
        CropSet.load(str(tmp_path / "none.txt"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="holds no LMDB"):
        CropSet.load(str(tmp_path / "empty"))
    with pytest.raises(UserError, match="threshold"):
        find_leaks([], [], threshold=1.5)
