import logging
import pickle

import numpy as np
import pytest
from tests.helpers.datasets import make_config, word_png, write_lmdb

from ppocr.data import collate
from ppocr.data.lmdb_dataset import ENVS, LMDBDataSet
from ppocr.data.lmdb_format import LMDBWriter, label_key
from ppocr.errors import UserError


def raw_label(path, key):
    with ENVS.get(path).begin() as txn:  # the dataset's own handle: py-lmdb allows one per process
        return txn.get(label_key(key)).decode()


def test_reads_nested_lmdbs_and_skips_other_folders(lmdb_tree, ctc_charset, caplog):
    config = make_config({"name": "LMDBDataSet", "data_dir": str(lmdb_tree)})
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        ds = LMDBDataSet(config, "Train", ctc_charset)
    assert "not_lmdb" in caplog.text
    assert len(ds) == 40 + 24
    assert [p.split("/")[-1] for p in ds.paths] == ["a", "b"]
    # sample 40 is the first of the second LMDB (keys are 1-based)
    assert ds.locate(39) == (0, 40) and ds.locate(40) == (1, 1) and ds.locate(63) == (1, 24)
    sample = ds[40]
    assert list(sample) == ["image", "label", "length", "text", "valid"]
    assert sample["text"] == raw_label(ds.paths[1], 1) and sample["valid"] is True
    assert sample["image"].shape == (3, 32, 100) and sample["image"].dtype == np.float32
    assert -1.0 <= sample["image"].min() and sample["image"].max() <= 1.0
    n = int(sample["length"])
    assert sample["label"][:n].tolist() == [ctc_charset.index[c] for c in sample["text"].lower()]


def test_data_dir_list(lmdb_tree, ctc_charset):
    config = make_config({"name": "LMDBDataSet", "data_dir": [str(lmdb_tree / "nested"), str(lmdb_tree / "a")]})
    ds = LMDBDataSet(config, "Eval", ctc_charset)
    assert len(ds) == 64 and [p.split("/")[-1] for p in ds.paths] == ["b", "a"]


def test_environments_open_lazily_and_are_shared(tmp_path, ctc_charset):
    path = str(tmp_path / "lazy")
    write_lmdb(path, [("ab", word_png("ab")), ("cd", word_png("cd"))])
    config = make_config({"name": "LMDBDataSet", "data_dir": path})
    train = LMDBDataSet(config, "Train", ctc_charset)
    assert not ENVS.is_open(path)  # nothing stays open in the process that forks the workers
    assert train[0]["text"] == "ab" and ENVS.is_open(path)
    evaluation = LMDBDataSet(config, "Eval", ctc_charset)  # same files, same process: one handle
    assert evaluation[1]["text"] == "cd"
    clone = pickle.loads(pickle.dumps(train))
    assert clone[1]["text"] == "cd"


def test_no_lmdb_is_a_user_error(tmp_path, ctc_charset):
    (tmp_path / "empty_child").mkdir()
    config = make_config({"name": "LMDBDataSet", "data_dir": str(tmp_path)})
    with pytest.raises(UserError, match=str(tmp_path)):
        LMDBDataSet(config, "Train", ctc_charset)
    config = make_config({"name": "LMDBDataSet", "data_dir": str(tmp_path / "missing")})
    with pytest.raises(UserError, match="missing"):
        LMDBDataSet(config, "Train", ctc_charset)


def test_broken_image_in_train_is_dropped_and_counted(broken_lmdb, ctc_charset):
    ds = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": broken_lmdb}), "Train", ctc_charset)
    assert ds[1] == {"skip": "undecodable image", "example": "cd"}  # its label goes along as an example
    batch = collate([ds[i] for i in range(3)])
    assert batch["text"] == ["ab", "ef"] and batch["image"].shape == (2, 3, 32, 100)
    assert batch["valid"].tolist() == [True, True]
    assert batch["skipped"] == {"undecodable image": 1}


def test_broken_image_in_eval_is_a_placeholder(broken_lmdb, ctc_charset):
    ds = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": broken_lmdb}), "Eval", ctc_charset)
    batch = collate([ds[i] for i in range(3)])
    assert batch["text"] == ["ab", "cd", "ef"]
    assert batch["valid"].tolist() == [True, False, True]
    assert not batch["image"][1].any() and not batch["label"][1].any() and batch["length"][1] == 0
    assert batch["image"].shape == (3, 3, 32, 100) and batch["label"].shape == (3, 25)
    assert batch["skipped"] == {"undecodable image": 1}


def test_unencodable_label_in_eval_keeps_its_image_and_text(tmp_path, ctc_charset):
    # the image is scored against its text (e.g. 'Tel:' under alnum36); only training needs the ids
    path = str(tmp_path / "long")
    write_lmdb(path, [("x" * 30, word_png("xx")), ("Tel:", word_png("Tel:")), ("ok", word_png("ok"))])
    ds = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": path}), "Eval", ctc_charset)
    sample = ds[0]
    assert sample["valid"] is True and sample["text"] == "x" * 30 and sample["image"].any()
    assert sample["label_issue"] == "label longer than max_text_length" and not sample["label"].any()
    batch = collate([ds[i] for i in range(3)])
    assert batch["valid"].tolist() == [True, True, True] and batch["skipped"] == {}
    assert batch["label_issues"] == {"label longer than max_text_length": 1, "character outside the charset": 1}
    assert "label_issue" not in ds[2] and ds[2]["label"].any()
    train = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": path}), "Train", ctc_charset)
    assert train[1] == {"skip": "character outside the charset", "example": "Tel:"}


def test_index_of_millions_of_samples_is_instant(tmp_path, ctc_charset):
    import time

    path = str(tmp_path / "huge")
    LMDBWriter(path, map_size=1 << 20).close(14_000_000)  # only the count: the index must not touch the samples
    start = time.perf_counter()
    ds = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": path}), "Train", ctc_charset)
    assert len(ds) == 14_000_000 and time.perf_counter() - start < 2.0
    assert ds.locate(13_999_999) == (0, 14_000_000)
    assert ds[5]["skip"] == "missing label" and ds[5]["example"].endswith("label-000000006")


def test_augmentation_follows_seed_and_epoch(lmdb_tree, ctc_charset):
    config = make_config({"name": "LMDBDataSet", "data_dir": str(lmdb_tree / "a")})
    config["Train"]["dataset"]["transforms"].insert(1, {"RecAug": {"tia_prob": 1, "noise_prob": 1}})
    ds = LMDBDataSet(config, "Train", ctc_charset, seed=3)
    ds.set_epoch(1)
    first = ds[4]["image"]
    assert np.array_equal(first, ds[4]["image"])
    ds.set_epoch(2)
    assert not np.array_equal(first, ds[4]["image"])


def texts_of(ds):
    return [raw_label(*(lambda k, key: (ds.paths[k], key))(*ds.locate(i))) for i in range(len(ds))]


def test_ratio_list_repeats_and_subsamples_each_data_dir_entry(lmdb_tree, ctc_charset, caplog):
    a, b = str(lmdb_tree / "a"), str(lmdb_tree / "nested")  # 40 and 24 samples
    config = make_config({"name": "LMDBDataSet", "data_dir": [a, b], "ratio_list": [0.25, 2.5]})
    with caplog.at_level(logging.INFO, logger="ppocr"):
        ds = LMDBDataSet(config, "Train", ctc_charset, seed=3)
    assert len(ds) == 10 + 60 and "ratio 2.5: 60 per epoch" in caplog.text
    stored = [ds.locate(i) for i in range(len(ds))]
    from_a, from_b = stored[:10], stored[10:]
    assert all(k == 0 for k, _ in from_a) and len(set(from_a)) == 10  # a fixed quarter of a, no repeats
    assert all(k == 1 for k, _ in from_b)
    counts = np.bincount([key for _, key in from_b], minlength=25)[1:]
    assert sorted(set(counts.tolist())) == [2, 3] and counts.sum() == 60  # each sample twice, half a third time
    # the same seed picks the same samples; another seed others
    assert [ds.locate(i) for i in range(len(ds))] == [LMDBDataSet(config, "Train", ctc_charset, seed=3).locate(i)
                                                      for i in range(len(ds))]
    assert from_a != [LMDBDataSet(config, "Train", ctc_charset, seed=4).locate(i) for i in range(10)]
    # repeated samples are augmented as samples of their own: the per-sample seed is the epoch's index
    assert ds[10]["text"] == raw_label(ds.paths[1], stored[10][1])


def test_ratio_list_one_number_applies_to_every_entry_and_bad_values_are_user_errors(lmdb_tree, ctc_charset):
    a, b = str(lmdb_tree / "a"), str(lmdb_tree / "nested")
    ds = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": [a, b], "ratio_list": 2}), "Train", ctc_charset)
    assert len(ds) == 128
    plain = LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": a, "ratio_list": [1.0]}), "Train",
                        ctc_charset)
    assert len(plain) == 40 and plain.ratio_index is None  # the reference configs' ratio_list: [1.0]
    for bad, match in (([1.0], "1 values for 2"), ([1.0, 0], "above 0"), ([1.0, "x"], "above 0")):
        with pytest.raises(UserError, match=match):
            LMDBDataSet(make_config({"name": "LMDBDataSet", "data_dir": [a, b], "ratio_list": bad}), "Train",
                        ctc_charset)
