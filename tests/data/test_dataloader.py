import numpy as np
import paddle
import pytest
from tests.helpers.datasets import make_config, word_png, write_lmdb

from ppocr.data import EvalBatchSampler, TrainBatchSampler, build_dataloader, collate
from ppocr.errors import UserError


def as_numpy(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def test_collate_stacks_and_counts():
    good = {"image": np.ones((1, 2, 3), np.float32), "label": np.arange(4), "text": "ab", "valid": True}
    stand_in = {"image": np.zeros((1, 2, 3), np.float32), "label": np.zeros(4, np.int64), "text": "cd",
                "valid": False, "skip": "undecodable image"}
    batch = collate([good, {"skip": "empty label", "example": ""}, stand_in, {"skip": "empty label"}])
    assert list(batch) == ["image", "label", "text", "valid", "skipped", "skip_examples"]
    assert batch["image"].shape == (2, 1, 2, 3) and batch["label"].shape == (2, 4)
    assert batch["text"] == ["ab", "cd"] and batch["valid"].dtype == bool and batch["valid"].tolist() == [True, False]
    assert batch["skipped"] == {"empty label": 2, "undecodable image": 1}
    assert batch["skip_examples"] == {"empty label": ""}  # the first dropped sample's, of training's drops only
    empty = collate([{"skip": "empty label"}])
    assert empty["text"] == [] and empty["valid"] == [] and empty["skipped"] == {"empty label": 1}
    assert list(empty) == ["text", "valid", "skipped", "skip_examples", "dropped"] and empty["dropped"].tolist() == [1]


@pytest.mark.parametrize("n", [0, 1, 2, 7, 33])
@pytest.mark.parametrize("world", [1, 2, 3])
def test_eval_sharding_covers_every_index_once(n, world):
    seen = []
    for rank in range(world):
        batches = list(EvalBatchSampler(n, batch_size=4, rank=rank, world_size=world))
        assert len(batches) == len(EvalBatchSampler(n, batch_size=4, rank=rank, world_size=world))
        assert all(0 < len(b) <= 4 for b in batches)
        assert all(len(b) == 4 for b in batches[:-1])
        flat = [i for b in batches for i in b]
        assert flat == sorted(flat)
        seen += batches
    assert sorted(i for b in seen for i in b) == list(range(n))
    # every sample is read in the same batch as with one process, beside the same others
    assert sorted(seen) == list(EvalBatchSampler(n, batch_size=4))


def test_eval_sharding_world_two_example():
    assert list(EvalBatchSampler(5, batch_size=2, rank=0, world_size=2)) == [[0, 1], [4]]
    assert list(EvalBatchSampler(5, batch_size=2, rank=1, world_size=2)) == [[2, 3]]
    assert list(EvalBatchSampler(3, batch_size=4, rank=1, world_size=2)) == []


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def train_order(seed, epoch, rank=0, world=1, n=20, shuffle=True, drop_last=False):
    sampler = TrainBatchSampler(Sized(n), 4, shuffle=shuffle, drop_last=drop_last, seed=seed,
                                num_replicas=world, rank=rank)
    sampler.set_epoch(epoch)
    return [i for b in sampler for i in b]


def test_train_order_depends_only_on_seed_and_epoch():
    assert train_order(0, 1) == train_order(0, 1)
    assert train_order(0, 1) != train_order(0, 2) and train_order(0, 1) != train_order(1, 1)
    assert sorted(train_order(0, 1)) == list(range(20))
    assert train_order(0, 3, shuffle=False) == list(range(20))
    # two ranks split one permutation (padded to equal length), disjoint when nothing is padded
    r0, r1 = train_order(5, 1, 0, 2), train_order(5, 1, 1, 2)
    assert len(r0) == len(r1) == 10 and sorted(r0 + r1) == list(range(20))


def test_train_set_start_skips_batches_once():
    sampler = TrainBatchSampler(Sized(20), 4, shuffle=True, seed=0, num_replicas=1, rank=0)
    sampler.set_epoch(2)
    full = list(sampler)
    sampler.set_start(3)
    assert list(sampler) == full[3:] and list(sampler) == full
    assert isinstance(sampler, paddle.io.DistributedBatchSampler) and len(sampler) == 5


def test_train_loader_with_workers_drops_and_counts(lmdb_tree, broken_lmdb, ctc_charset):
    config = make_config({"name": "LMDBDataSet", "data_dir": [str(lmdb_tree / "a"), broken_lmdb]},
                         batch_size=8, num_workers=2)
    loader = build_dataloader(config, "Train", ctc_charset, seed=0)
    assert isinstance(loader.batch_sampler, TrainBatchSampler)
    loader.batch_sampler.set_epoch(1)
    texts, skipped = [], {}
    for batch in loader:
        image = as_numpy(batch["image"])
        assert image.shape[1:] == (3, 32, 100) and image.dtype == np.float32
        assert as_numpy(batch["label"]).shape == (len(batch["text"]), 25)
        assert as_numpy(batch["valid"]).all()
        texts += batch["text"]
        for reason, count in batch["skipped"].items():
            skipped[reason] = skipped.get(reason, 0) + count
    assert len(loader) == 43 // 8
    assert skipped == {"undecodable image": 1} and len(texts) == 8 * 5 - 1


@pytest.mark.parametrize("num_workers", [0, 2])
def test_batch_of_only_dropped_samples(tmp_path, ctc_charset, num_workers):
    write_lmdb(str(tmp_path / "x"), [("ab", b"junk"), ("cd", b"junk"), ("ef", word_png("ef"))])
    config = make_config({"name": "LMDBDataSet", "data_dir": str(tmp_path)}, batch_size=2,
                         num_workers=num_workers, shuffle=False)
    config["Train"]["loader"]["drop_last"] = False
    first, second = list(build_dataloader(config, "Train", ctc_charset))
    assert first["text"] == [] and "image" not in first and first["skipped"] == {"undecodable image": 2}
    assert as_numpy(first["dropped"]).tolist() == [2]
    assert second["text"] == ["ef"] and as_numpy(second["image"]).shape == (1, 3, 32, 100)


def test_eval_loader_keeps_every_sample_in_order(lmdb_tree, broken_lmdb, ctc_charset):
    data_dir = [broken_lmdb, str(lmdb_tree / "nested")]
    config = make_config({"name": "LMDBDataSet", "data_dir": data_dir}, batch_size=5, num_workers=0)
    in_process = build_dataloader(config, "Eval", ctc_charset)
    reference = [t for batch in in_process for t in batch["text"]]  # leaves the LMDBs open here
    config["Eval"]["loader"]["num_workers"] = 2  # forked workers must still open them
    texts, valid, skipped = [], [], {}
    for batch in build_dataloader(config, "Eval", ctc_charset):
        texts += batch["text"]
        valid += as_numpy(batch["valid"]).tolist()
        skipped.update(batch["skipped"])
    assert texts == reference and len(texts) == 3 + 24
    assert texts[:3] == ["ab", "cd", "ef"] and valid[:3] == [True, False, True] and all(valid[3:])
    assert skipped == {"undecodable image": 1}


def test_spin_simple_dataset_loader(tmp_path, spin_charset):
    from ppocr.synth import generate

    generate(12, seed=4, out_dir=str(tmp_path))
    config = make_config({"name": "SimpleDataSet", "data_dir": str(tmp_path),
                          "label_file_list": [str(tmp_path / "labels.txt")]}, spin=True, batch_size=4)
    batch = next(iter(build_dataloader(config, "Train", spin_charset, seed=1)))
    assert as_numpy(batch["image"]).shape == (4, 1, 32, 100)
    assert as_numpy(batch["label"]).shape == (4, 27) and (as_numpy(batch["label"])[:, 0] == spin_charset.sos).all()


def test_unknown_dataset_name_lists_registered(ctc_charset):
    config = make_config({"name": "NoSuchDataSet"})
    with pytest.raises(UserError, match="LMDBDataSet.*SimpleDataSet"):
        build_dataloader(config, "Train", ctc_charset)
