"""Evaluation sets: one per sub-folder or list entry (training keeps pooling), each its own loader."""
import numpy as np
import pytest
from tests.helpers.datasets import make_config, word_png, write_lmdb

from ppocr.data import build_set_loaders, list_eval_sets
from ppocr.data.lmdb_dataset import LMDBDataSet
from ppocr.errors import UserError


@pytest.fixture(scope="module")
def benchmark_folder(tmp_path_factory):
    """evaluation/{IIIT5k_3000 (3), SVT (2), extra/nested/part (1)} plus a folder with no LMDB."""
    root = tmp_path_factory.mktemp("evaluation")
    write_lmdb(str(root / "SVT"), [("ab", word_png("ab")), ("cd", word_png("cd"))])
    write_lmdb(str(root / "IIIT5k_3000"), [(w, word_png(w)) for w in ("ef", "gh", "ij")])
    write_lmdb(str(root / "extra" / "nested" / "part"), [("kl", word_png("kl"))])
    (root / "notes").mkdir()
    return root


def lmdb_config(data_dir, **loader):
    return make_config({"name": "LMDBDataSet", "data_dir": data_dir}, **loader)


def test_a_folder_of_lmdbs_is_one_set_per_subfolder(benchmark_folder):
    sets = list_eval_sets(lmdb_config(str(benchmark_folder)))
    assert [name for name, _ in sets] == ["IIIT5k_3000", "SVT", "extra"]
    assert sets[1][1]["data_dir"] == str(benchmark_folder / "SVT")
    assert sets[1][1]["transforms"][0] == {"DecodeImage": {"img_mode": "BGR", "channel_first": False}}


def test_a_single_lmdb_and_a_list(benchmark_folder):
    one = list_eval_sets(lmdb_config(str(benchmark_folder / "SVT") + "/"))
    assert [name for name, _ in one] == ["SVT"]
    listed = list_eval_sets(lmdb_config([str(benchmark_folder / "SVT"), str(benchmark_folder / "extra")]))
    assert [name for name, _ in listed] == ["SVT", "extra"]


def test_clashing_names_keep_their_path(tmp_path):
    for parent in ("a", "b"):
        write_lmdb(str(tmp_path / parent / "val"), [("ab", word_png("ab"))])
    paths = [str(tmp_path / "a" / "val"), str(tmp_path / "b" / "val")]
    assert [name for name, _ in list_eval_sets(lmdb_config(paths))] == paths


def test_each_set_has_its_own_loader_and_every_sample(benchmark_folder, ctc_charset):
    loaders = build_set_loaders(lmdb_config(str(benchmark_folder), batch_size=2), "Eval", ctc_charset)
    texts = {name: [t for batch in loader for t in batch["text"]] for name, loader in loaders.items()}
    assert texts == {"IIIT5k_3000": ["ef", "gh", "ij"], "SVT": ["ab", "cd"], "extra": ["kl"]}
    # training (and the trainer's evaluation) still pool the whole folder
    assert len(LMDBDataSet(lmdb_config(str(benchmark_folder)), "Train", ctc_charset)) == 6


def test_missing_folder_is_a_user_error(tmp_path, ctc_charset):
    with pytest.raises(UserError, match="not a folder"):
        build_set_loaders(lmdb_config([str(tmp_path / "nope")]), "Eval", ctc_charset)


def test_simple_dataset_is_one_set_per_label_file(tmp_path, ctc_charset):
    (tmp_path / "x.png").write_bytes(word_png("ab"))
    for name, n in (("test_a.txt", 2), ("test_b.txt", 3)):
        (tmp_path / name).write_text("x.png\tab\n" * n)
    files = [str(tmp_path / "test_a.txt"), str(tmp_path / "test_b.txt")]
    config = make_config({"name": "SimpleDataSet", "data_dir": str(tmp_path), "label_file_list": files})
    loaders = build_set_loaders(config, "Eval", ctc_charset)
    assert list(loaders) == ["test_a", "test_b"]
    assert [sum(len(b["text"]) for b in loader) for loader in loaders.values()] == [2, 3]
    first = next(iter(loaders["test_a"]))
    assert np.asarray(first["image"]).shape == (2, 3, 32, 100)
