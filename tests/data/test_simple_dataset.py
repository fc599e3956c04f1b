import logging

import numpy as np
import pytest
from tests.helpers.datasets import make_config, word_png

from ppocr.data.simple_dataset import SimpleDataSet
from ppocr.errors import UserError


@pytest.fixture
def two_label_files(tmp_path):
    """data_dir with 6 images; a.txt lists 4 of them (CRLF endings, a blank line), b.txt 10 lines."""
    (tmp_path / "img").mkdir()
    for i in range(6):
        (tmp_path / "img" / f"{i}.png").write_bytes(word_png(f"w{i}"))
    a = tmp_path / "a.txt"
    a.write_bytes(b"img/0.png\tzero\r\nimg/1.png\tone\r\n\r\nimg/2.png\ttwo\r\nimg/3.png\tthree")
    b = tmp_path / "b.txt"
    b.write_text("".join(f"img/{i % 6}.png\tb{i}\n" for i in range(10)))
    return tmp_path, str(a), str(b)


def dataset(root, files, ratio=None, seed=0, mode="Train", spin=False):
    cfg = {"name": "SimpleDataSet", "data_dir": str(root), "label_file_list": files}
    if ratio is not None:
        cfg["ratio_list"] = ratio
    return SimpleDataSet(make_config(cfg, spin=spin), mode, _charset(spin), seed=seed)


def _charset(spin):
    from ppocr.trained_model.from_config import build_charset

    return build_charset(make_config({"name": "SimpleDataSet"}, spin=spin))


def texts(ds):
    return [ds[i]["text"] for i in range(len(ds))]


def test_two_files_all_lines(two_label_files):
    root, a, b = two_label_files
    ds = dataset(root, [a, b])
    assert texts(ds) == ["zero", "one", "two", "three"] + [f"b{i}" for i in range(10)]
    assert ds[0]["image"].shape == (3, 32, 100) and ds[0]["valid"] is True


def test_ratio_list_samples_each_file_deterministically(two_label_files):
    root, a, b = two_label_files
    ds = dataset(root, [a, b], ratio=[1.0, 0.5], seed=3)
    got = texts(ds)
    assert got[:4] == ["zero", "one", "two", "three"] and len(got) == 4 + 5
    assert all(t.startswith("b") for t in got[4:])
    assert texts(dataset(root, [a, b], ratio=[1.0, 0.5], seed=3)) == got
    others = {tuple(texts(dataset(root, [a, b], ratio=[1.0, 0.5], seed=s))) for s in range(4, 10)}
    assert len(others | {tuple(got)}) > 1  # the subset depends on the seed
    assert len(dataset(root, [a, b], ratio=0.5)) == 2 + 5  # one float applies to every file


def test_spin_pipeline(two_label_files):
    root, a, _ = two_label_files
    sample = dataset(root, [a], spin=True)[2]
    assert sample["image"].shape == (1, 32, 100) and sample["label"].shape == (27,)
    assert sample["text"] == "two" and int(sample["length"]) == 3


def test_missing_label_file_and_bad_ratio_are_user_errors(two_label_files):
    root, a, b = two_label_files
    with pytest.raises(UserError, match="nope.txt"):
        dataset(root, [a, str(root / "nope.txt")])
    with pytest.raises(UserError, match="ratio_list"):
        dataset(root, [a, b], ratio=[0.5])
    with pytest.raises(UserError, match="ratio_list"):
        dataset(root, [a], ratio=[1.5])


def test_missing_image_and_malformed_line(tmp_path):
    (tmp_path / "ok.png").write_bytes(word_png("ok"))
    labels = tmp_path / "l.txt"
    labels.write_text("ok.png\tok\ngone.png\tgone\nno-tab-here\n")
    train = dataset(tmp_path, [str(labels)])
    assert [train[i].get("skip") for i in range(3)] == [None, "missing image file", "label line has no delimiter"]
    evaluation = dataset(tmp_path, [str(labels)], mode="Eval")
    assert [evaluation[i]["valid"] for i in range(3)] == [True, False, False]
    assert evaluation[1]["text"] == "gone" and not np.any(evaluation[1]["image"])


def test_bad_lines_are_named_with_file_and_line_and_usable_samples_counted(two_label_files, caplog):
    caplog.set_level(logging.INFO, logger="ppocr")
    root, _, _ = two_label_files
    labels = root / "bad.txt"
    lines = ["img/0.png\tgood", "img/1.png no tab", "img/9.png\tgone", "", "img/2.png\tcafé", "img/3.png\t" + "x" * 26,
             "img/4.png\tfine"] + [f"img/5.png\t#{k}" for k in range(4)]
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = dataset(root, [str(labels)])
    assert len(ds) == 10  # the bad lines stay samples: training skips and counts each as it reads it
    assert f"Train: 10 samples from {labels} (ratio 1), 2 usable" in caplog.text
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith(f"Train: 8 lines of {labels} cannot be trained on (each is skipped): "
                              f"{labels}:2: label line has no delimiter ('\\t'): 'img/1.png no tab'; "
                              f"{labels}:3: missing image file ")
    assert f"{labels}:5: character outside the charset ('café'); " in warning  # the empty line 4 is numbered
    assert f"{labels}:6: label longer than max_text_length" in warning and warning.endswith("(and 3 more)")
    caplog.clear()
    dataset(root, [str(labels)], mode="Eval")  # evaluation scores a label it cannot encode against its text
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "Eval: 2 lines of" in warning and "cannot be read (each scores as wrong)" in warning
