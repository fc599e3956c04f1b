import os
import subprocess
import sys

import cv2
import lmdb
import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.utils.synth import find_fonts, generate

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def folder_bytes(out_dir):
    files = {}
    for dirpath, _, names in os.walk(out_dir):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                files[os.path.relpath(os.path.join(dirpath, name), out_dir)] = f.read()
    return files


def lmdb_items(path):
    env = lmdb.open(path, readonly=True, lock=False)
    with env.begin() as txn:
        items = dict(txn.cursor())
    env.close()
    return items


def test_same_seed_same_bytes_whatever_the_workers(tmp_path):
    generate(40, seed=7, out_dir=str(tmp_path / "a"), lmdb_dir=str(tmp_path / "la"))
    generate(40, seed=7, out_dir=str(tmp_path / "b"), workers=2, chunk_size=8)
    generate(40, seed=8, out_dir=str(tmp_path / "c"))
    a, b, c = (folder_bytes(tmp_path / d) for d in "abc")
    assert len(a) == 41 and a == b  # 40 images + labels.txt
    assert a["labels.txt"] != c["labels.txt"] and a["images/word_000000001.jpg"] != c["images/word_000000001.jpg"]
    items = lmdb_items(str(tmp_path / "la"))
    assert items[b"num-samples"] == b"40" and b"image-000000040" in items and b"image-000000000" not in items
    assert items[b"image-000000001"] == a["images/word_000000001.jpg"]
    first_line = a["labels.txt"].decode().splitlines()[0]
    assert first_line == "images/word_000000001.jpg\t" + items[b"label-000000001"].decode()


def test_images_decode_and_labels_follow_options(tmp_path):
    generate(60, seed=1, out_dir=str(tmp_path), case="mixed", max_len=6)
    lines = (tmp_path / "labels.txt").read_text().splitlines()
    labels = [line.split("\t")[1] for line in lines]
    assert len(labels) == 60 and all(0 < len(t) <= 6 and t.isalnum() for t in labels)
    assert any(t != t.lower() for t in labels)
    for line in lines[:10]:
        img = cv2.imread(str(tmp_path / line.split("\t")[0]))
        assert img is not None and img.ndim == 3 and 24 <= img.shape[0] <= 64 and img.std() > 1


def test_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="nowhere"):
        generate(5, seed=0)
    generate(3, seed=0, lmdb_dir=str(tmp_path / "l"))
    with pytest.raises(UserError, match="already holds an LMDB"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "l"))
    with pytest.raises(UserError, match="font"):
        find_fonts(str(tmp_path / "*.ttf"))


def test_tool_runs_from_the_repository_root(tmp_path):
    out = subprocess.run([sys.executable, "tools/gen_synth_data.py", "--num", "5", "--seed", "2",
                          "--lmdb", str(tmp_path / "lm")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "wrote 5 word images" in out.stdout
    assert lmdb_items(str(tmp_path / "lm"))[b"num-samples"] == b"5"
    bad = subprocess.run([sys.executable, "tools/gen_synth_data.py", "--num", "0", "--out_dir", str(tmp_path / "o")],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_jpeg_bytes_are_real_images(tmp_path):
    generate(3, seed=0, lmdb_dir=str(tmp_path / "l"))
    raw = lmdb_items(str(tmp_path / "l"))[b"image-000000002"]
    assert cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR) is not None


def test_a_glob_over_matplotlib_fonts_leaves_out_its_symbol_fonts():
    from ppocr.utils.synth import matplotlib_font_dir

    names = [os.path.basename(p) for p in find_fonts(os.path.join(matplotlib_font_dir(), "cm*.ttf"))]
    assert "cmr10.ttf" in names
    assert "cmex10.ttf" not in names and "cmsy10.ttf" not in names  # letters drawn as math symbols


def test_lmdb_dataset_reads_every_generated_sample(tmp_path):
    """The generator's LMDB through LMDBDataSet: every sample decodes, in order, with its label."""
    from data_helpers import make_config

    from ppocr.engine.components import build_charset
    from ppocr.data.lmdb_dataset import LMDBDataSet

    generate(30, seed=5, out_dir=str(tmp_path / "folder"), lmdb_dir=str(tmp_path / "lmdb" / "synth"))
    expected = [line.split("\t")[1] for line in (tmp_path / "folder" / "labels.txt").read_text().splitlines()]
    config = make_config({"name": "LMDBDataSet", "data_dir": str(tmp_path / "lmdb")})
    dataset = LMDBDataSet(config, "Eval", build_charset(config))
    samples = [dataset[i] for i in range(len(dataset))]
    assert len(dataset) == 30 and [s["text"] for s in samples] == expected
    assert all(s["valid"] and s["image"].shape == (3, 32, 100) and s["image"].std() > 0.01 for s in samples)
    assert all(0 < s["length"] <= 25 for s in samples)
