"""generate / tools/gen_synth_data.py: same seed, same bytes whatever the workers and chunks;
metadata for every sample; the held-out split honoured; one set per case; one-line errors.
Fonts are matplotlib's (DejaVu, STIX General, Computer Modern): what a pip install has."""
import json
import os
import subprocess
import sys

import cv2
import lmdb
import numpy as np
import pytest

from ppocr.data.lmdb_format import INFO, NUM_SAMPLES, image_key, label_key, meta_key
from ppocr.errors import UserError
from ppocr.synth import generate, generator, is_held_out
from ppocr.synth.generator import generate_per_case, settings_for
from ppocr.synth.text import apply_case

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def folder_bytes(out_dir):
    files = {}
    for dirpath, _, names in os.walk(out_dir):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                files[os.path.relpath(os.path.join(dirpath, name), out_dir)] = f.read()
    return files


def lmdb_items(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        items = dict(txn.cursor())
    env.close()
    return items


def metas(items):
    n = int(items[NUM_SAMPLES])
    return [json.loads(items[meta_key(i)]) for i in range(1, n + 1)]


def test_same_seed_same_bytes_whatever_the_workers_chunks_and_banks(tmp_path, monkeypatch):
    monkeypatch.setattr(generator, "BANK_SIZE", 16)  # samples 0-15, 16-31, 32-39 share scenes
    generate(40, seed=7, out_dir=str(tmp_path / "a"), lmdb_dir=str(tmp_path / "la"))
    generate(40, seed=7, out_dir=str(tmp_path / "b"), lmdb_dir=str(tmp_path / "lb"), workers=2, chunk_size=7)
    generate(40, seed=8, out_dir=str(tmp_path / "c"))
    a, b, c = (folder_bytes(tmp_path / d) for d in "abc")
    assert len(a) == 42 and a == b  # 40 images, labels.txt, meta.jsonl
    assert a["labels.txt"] != c["labels.txt"] and a["images/word_000000001.jpg"] != c["images/word_000000001.jpg"]
    items = lmdb_items(tmp_path / "la")
    assert items == lmdb_items(tmp_path / "lb")
    assert items[NUM_SAMPLES] == b"40" and image_key(40) in items and image_key(0) not in items
    assert items[image_key(1)] == a["images/word_000000001.jpg"]
    first_line = a["labels.txt"].decode().splitlines()[0]
    assert first_line == "images/word_000000001.jpg\t" + items[label_key(1)].decode()
    # the run holds words bent along a curve, cut out along a tilted box and seen in a strong view
    effects = [e for m in metas(items) for e in m["effects"]]
    assert {"arc", "wave", "tilted box", "view"} <= set(effects), effects


def test_every_sample_records_its_font_family_and_case(tmp_path):
    generate(60, seed=3, lmdb_dir=str(tmp_path / "l"), out_dir=str(tmp_path / "f"))
    items = lmdb_items(tmp_path / "l")
    meta = metas(items)
    lines = (tmp_path / "f" / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    for i, (m, line) in enumerate(zip(meta, lines), start=1):
        assert set(m) == {"font", "family", "case", "kind", "effects", "fiducials"}
        assert m["case"] in ("lower", "title", "upper")
        assert isinstance(m["effects"], list)
        assert json.loads(line) == dict(m, path=f"images/word_{i:09d}.jpg", label=items[label_key(i)].decode())
        label = items[label_key(i)].decode()
        assert label == apply_case(label, m["case"])  # the label is the text as drawn, in its case
    assert {m["family"] for m in meta} >= {"DejaVu Sans", "DejaVu Serif", "STIXGeneral"}
    assert any(m["effects"] for m in meta)
    info = json.loads(items[INFO])
    assert info["seed"] == 3 and info["split"] == "all" and "STIXGeneral" in info["families"]


def test_cases_come_in_the_documented_proportions(tmp_path):
    from ppocr.synth import DEFAULT_SETTINGS

    generate(300, seed=13, lmdb_dir=str(tmp_path / "l"), split="train")
    cases = [m["case"] for m in metas(lmdb_items(tmp_path / "l"))]
    for case, expected in zip(("lower", "title", "upper"), DEFAULT_SETTINGS.case_weights):
        assert abs(cases.count(case) / 300 - expected) < 0.08, (case, cases.count(case))


def test_the_held_out_families_never_reach_a_training_set(tmp_path):
    generate(40, seed=4, lmdb_dir=str(tmp_path / "train"), split="train")
    generate(12, seed=5, lmdb_dir=str(tmp_path / "val"), split="heldout")
    train, val = metas(lmdb_items(tmp_path / "train")), metas(lmdb_items(tmp_path / "val"))
    assert not any(is_held_out(m["family"]) for m in train) and len({m["family"] for m in train}) >= 4
    assert {m["family"] for m in val} == {"STIXGeneral"}
    assert "STIXGeneral" not in json.loads(lmdb_items(tmp_path / "train")[INFO])["families"]
    generate(20, seed=6, lmdb_dir=str(tmp_path / "sub"), families="DejaVu Sans, dejavu serif",
             exclude_families=["DejaVu Serif"])
    assert {m["family"] for m in metas(lmdb_items(tmp_path / "sub"))} == {"DejaVu Sans"}


def test_case_and_text_options(tmp_path):
    generate(30, seed=1, out_dir=str(tmp_path / "u"), case="upper", max_len=6, settings=settings_for())
    labels = [line.split("\t")[1] for line in (tmp_path / "u" / "labels.txt").read_text().splitlines()]
    assert len(labels) == 30 and all(0 < len(t) <= 6 and t.isalnum() and t == t.upper() for t in labels)
    assert any(t.isalpha() for t in labels) and any(c.isdigit() for t in labels for c in t)
    for line in (tmp_path / "u" / "labels.txt").read_text().splitlines()[:10]:
        img = cv2.imread(str(tmp_path / "u" / line.split("\t")[0]))
        assert img is not None and img.ndim == 3 and 24 <= img.shape[0] <= 64 and img.std() > 1


def test_per_case_sets_hold_the_same_words_in_each_case(tmp_path):
    counts = generate_per_case(16, seed=9, lmdb_dir=str(tmp_path), split="heldout")
    assert counts == {"lower": 16, "title": 16, "upper": 16}
    labels = {case: [lmdb_items(tmp_path / case)[label_key(i)].decode() for i in range(1, 17)]
              for case in counts}
    assert labels["lower"] == [t.lower() for t in labels["upper"]] == [t.lower() for t in labels["title"]]
    assert labels["upper"] == [t.upper() for t in labels["upper"]] and labels["upper"] != labels["lower"]
    assert all(m["case"] == "title" for m in metas(lmdb_items(tmp_path / "title")))


def test_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="nowhere"):
        generate(5, seed=0)
    generate(3, seed=0, lmdb_dir=str(tmp_path / "l"))
    with pytest.raises(UserError, match="already holds an LMDB"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "l"))
    generate(3, seed=0, out_dir=str(tmp_path / "f"))
    with pytest.raises(UserError, match=r"'.*f' already holds files \(images, labels.txt"):
        generate(3, seed=0, out_dir=str(tmp_path / "f"), lmdb_dir=str(tmp_path / "fl"))
    assert not (tmp_path / "fl").exists()  # refused before the LMDB was begun
    with pytest.raises(UserError, match="no usable font"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "m"), fonts=str(tmp_path / "*.ttf"))
    with pytest.raises(UserError, match="Helvetica"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "n"), families="Helvetica")
    with pytest.raises(UserError, match="split must be one of"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "o"), split="test")
    with pytest.raises(UserError, match="case must be one of"):
        generate(3, seed=0, lmdb_dir=str(tmp_path / "p"), case="camel")


@pytest.mark.subprocess_tools
def test_tool_runs_from_the_repository_root(tmp_path):
    out = subprocess.run([sys.executable, "tools/gen_synth_data.py", "--num", "5", "--seed", "2", "--per_case",
                          "--split", "heldout", "--lmdb", str(tmp_path / "lm")], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "wrote 15 word images" in out.stdout
    assert sorted(os.listdir(tmp_path / "lm")) == ["lower", "title", "upper"]
    listing = subprocess.run([sys.executable, "tools/gen_synth_data.py", "--list_families", "--split", "train"],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "DejaVu Sans\t4 faces" in listing.stdout and "STIX" not in listing.stdout
    bad = subprocess.run([sys.executable, "tools/gen_synth_data.py", "--num", "0", "--out_dir", str(tmp_path / "o")],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_lmdb_dataset_reads_every_generated_sample(tmp_path):
    """The generator's LMDB (with its meta- keys) through LMDBDataSet: every sample, in order, with its label."""
    from ppocr.data.lmdb_dataset import LMDBDataSet
    from ppocr.trained_model.from_config import build_charset
    from tests.helpers.datasets import make_config

    generate(30, seed=5, out_dir=str(tmp_path / "folder"), lmdb_dir=str(tmp_path / "lmdb" / "synth"))
    expected = [line.split("\t")[1] for line in (tmp_path / "folder" / "labels.txt").read_text().splitlines()]
    config = make_config({"name": "LMDBDataSet", "data_dir": str(tmp_path / "lmdb")})
    dataset = LMDBDataSet(config, "Eval", build_charset(config))
    samples = [dataset[i] for i in range(len(dataset))]
    assert len(dataset) == 30 and [s["text"] for s in samples] == expected
    assert all(s["valid"] and s["image"].shape == (3, 32, 100) and s["image"].std() > 0.01 for s in samples)
    assert np.mean([s["length"] for s in samples]) > 0
