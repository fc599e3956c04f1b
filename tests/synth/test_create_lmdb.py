"""create_lmdb_dataset: bad lines are reported by number, counted and skipped; LMDBDataSet reads the result."""
import os
import subprocess
import sys

import cv2
import lmdb
import numpy as np
import pytest

from ppocr.data.lmdb_dataset import LMDBDataSet
from ppocr.data.lmdb_format import NUM_SAMPLES, image_key, is_lmdb, label_key
from ppocr.errors import UserError
from ppocr.synth import create_lmdb
from ppocr.synth.create_lmdb import create_lmdb_dataset
from ppocr.trained_model.from_config import build_charset

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRANSFORMS = [{"DecodeImage": {"img_mode": "BGR", "channel_first": False}}, {"CTCLabelEncode": None},
              {"RecResizeImg": {"image_shape": [3, 32, 100]}}, {"KeepKeys": {"keep_keys": ["image", "label", "length"]}}]


def word_png(seed):
    img = np.random.default_rng(seed).integers(0, 256, size=(20, 50, 3), dtype=np.uint8)
    return cv2.imencode(".png", img)[1].tobytes()


GOOD = ["w0", "w1", "w3", "w4", "w5"]  # the labels of the usable lines, in file order


@pytest.fixture
def labelled_folder(tmp_path):
    """Five usable lines among every kind of bad line; returns (label file, {line number: reason})."""
    (tmp_path / "img").mkdir()
    for i in range(6):
        (tmp_path / "img" / f"{i}.png").write_bytes(word_png(i))
    (tmp_path / "img" / "broken.png").write_bytes(b"not an image at all")
    (tmp_path / "img" / "empty.png").write_bytes(b"")
    lines = [b"img/0.png\tw0", b"img/1.png w1",  # 2: a space, not a tab
             b"img/1.png\tw1", b"", b"img/missing.png\tw9",  # 4: blank, ignored; 5: missing
             b"img/broken.png\tw9", b"img/2.png\t", b"\tw9",  # 6: no decode; 7: empty label; 8: empty path
             b"img/3.png\tw3\r", b"img/\xff.png\tw9", b"img/empty.png\tw9",  # 9: CRLF ok; 10: not UTF-8; 11: empty
             b"img/4.png\tw4", b"img/5.png\tw5"]
    label_file = tmp_path / "labels.txt"
    label_file.write_bytes(b"\n".join(lines))  # no newline after the last line: still a line
    skips = {2: "no tab", 5: "not readable", 6: "does not decode", 7: "empty label", 8: "empty image path",
             10: "not UTF-8", 11: "does not decode"}
    return label_file, skips


def read_lmdb(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        items = dict(txn.cursor())
    env.close()
    return items


def test_bad_lines_are_counted_skipped_and_numbered(labelled_folder, tmp_path, caplog):
    label_file, skips = labelled_folder
    summary = create_lmdb_dataset(str(label_file), str(tmp_path / "out"), chunk_size=2)  # several chunks
    assert summary.written == len(GOOD)
    assert [n for n, _ in summary.skipped] == sorted(skips)
    for line_no, reason in summary.skipped:
        assert skips[line_no] in reason, (line_no, reason)
        assert f"line {line_no} skipped" in caplog.text
    assert str(summary).startswith(f"wrote {len(GOOD)} samples") and "skipped 7 lines" in str(summary)
    items = read_lmdb(tmp_path / "out")
    assert items[NUM_SAMPLES] == str(len(GOOD)).encode()
    assert [items[label_key(k)].decode() for k in range(1, len(GOOD) + 1)] == GOOD
    assert image_key(0) not in items and image_key(len(GOOD) + 1) not in items
    assert items[image_key(1)] == word_png(0)


def test_lmdb_dataset_reads_the_result(labelled_folder, tmp_path):
    label_file, _ = labelled_folder
    create_lmdb_dataset(str(label_file), str(tmp_path / "lmdb" / "words"))
    config = {"Global": {"character_dict_path": None, "max_text_length": 25, "use_space_char": False},
              "Architecture": {"Head": {"name": "CTCHead"}}, "PostProcess": {"name": "CTCLabelDecode"},
              "Train": {"dataset": {"name": "LMDBDataSet", "data_dir": str(tmp_path / "lmdb"), "transforms": TRANSFORMS},
                        "loader": {"batch_size_per_card": 2, "shuffle": False, "drop_last": False, "num_workers": 0}}}
    dataset = LMDBDataSet(config, "Train", build_charset(config))
    assert len(dataset) == len(GOOD)
    assert [dataset[i]["text"] for i in range(len(GOOD))] == GOOD
    assert dataset[0]["image"].shape == (3, 32, 100)


def test_an_interrupted_run_leaves_no_usable_lmdb(labelled_folder, tmp_path, monkeypatch):
    label_file, _ = labelled_folder
    calls = []
    real = create_lmdb.read_image

    def fail_on_fourth(data_dir, path):
        calls.append(path)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(data_dir, path)

    monkeypatch.setattr(create_lmdb, "read_image", fail_on_fourth)
    with pytest.raises(KeyboardInterrupt):
        create_lmdb_dataset(str(label_file), str(tmp_path / "out"), chunk_size=1)
    assert NUM_SAMPLES not in read_lmdb(tmp_path / "out")


def test_user_errors(labelled_folder, tmp_path):
    label_file, _ = labelled_folder
    with pytest.raises(UserError, match="does not exist"):
        create_lmdb_dataset(str(tmp_path / "nope.txt"), str(tmp_path / "out"))
    bad = tmp_path / "bad.txt"
    bad.write_text("no tab\nnone either\n")
    with pytest.raises(UserError, match="no usable line"):
        create_lmdb_dataset(str(bad), str(tmp_path / "out"))
    assert not is_lmdb(str(tmp_path / "out"))  # nothing a dataset would open


@pytest.mark.subprocess_tools
def test_tool_prints_the_summary_and_refuses_an_existing_lmdb(labelled_folder, tmp_path):
    label_file, _ = labelled_folder
    cmd = [sys.executable, "tools/create_lmdb_dataset.py", "--label_file", str(label_file), "--out", str(tmp_path / "o")]
    first = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "wrote 5 samples" in first.stdout and "skipped 7 lines" in first.stdout
    assert "line 5 skipped: image not readable" in first.stdout + first.stderr
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already holds an LMDB" in again.stderr
