"""Extra samples for an op that joins others to each sample (RecConAug, ppocr/data/base_dataset.py):
drawn from the dataset with the sample's seeded generator, prepared by the ops before the op (or
the first ``ext_op_transform_idx``), read only when the op asks, unusable ones drawn again."""
import copy

import pytest
from tests.helpers.datasets import make_config, word_png

from ppocr.data.simple_dataset import SimpleDataSet
from ppocr.errors import UserError
from ppocr.trained_model.from_config import build_charset

WORDS = ["ab", "cd", "ef", "gh", "ij", "kl"]


def _transforms(prob=1.0, ext_data_num=1, before=()):
    return [{"DecodeImage": {"img_mode": "BGR", "channel_first": False}}, *before,
            {"RecConAug": {"prob": prob, "ext_data_num": ext_data_num, "image_shape": [32, 1000, 3],
                           "max_text_length": 25}},
            {"CTCLabelEncode": None}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
            {"KeepKeys": {"keep_keys": ["image", "label", "length"]}}]


def _dataset(root, lines, mode="Train", **dataset_options):
    (root / "list.txt").write_text("".join(f"{name}\t{text}\n" for name, text in lines))
    transforms = dataset_options.pop("transforms", None) or _transforms()
    config = make_config({"name": "SimpleDataSet", "data_dir": str(root), "label_file_list": [str(root / "list.txt")],
                          **dataset_options})
    for m in ("Train", "Eval"):
        config[m]["dataset"]["transforms"] = copy.deepcopy(transforms)
    return SimpleDataSet(config, mode, build_charset(config), seed=5)


@pytest.fixture
def words(tmp_path):
    for w in WORDS:
        (tmp_path / f"{w}.png").write_bytes(word_png(w, width=40, height=20))
    return tmp_path


def test_each_sample_is_joined_with_another_of_the_dataset_and_its_text_follows(words):
    ds = _dataset(words, [(f"{w}.png", w) for w in WORDS])
    for i, w in enumerate(WORDS):
        out = ds[i]
        assert out["text"][:2] == w and out["text"][2:] in WORDS, out["text"]
        assert int(out["length"]) == 4  # the label ids encode the joined text
        assert ds[i]["text"] == out["text"], "the same sample of the same epoch must be the same"
    texts = {}
    for epoch in range(6):
        ds.set_epoch(epoch)
        texts[epoch] = [ds[i]["text"] for i in range(len(WORDS))]
    assert len({tuple(t) for t in texts.values()}) > 1, "the other samples must change with the epoch"


def test_other_samples_are_read_only_when_the_op_joins_them(words, monkeypatch):
    reads = []
    original = SimpleDataSet.read_sample

    def counting(self, idx, sample):
        reads.append(idx)
        return original(self, idx, sample)

    monkeypatch.setattr(SimpleDataSet, "read_sample", counting)
    lines = [(f"{w}.png", w) for w in WORDS]
    ds = _dataset(words, lines, transforms=_transforms(prob=0.0, ext_data_num=2))
    for i in range(len(WORDS)):
        ds[i]
    assert reads == list(range(len(WORDS)))
    reads.clear()
    ds = _dataset(words, lines, transforms=_transforms(prob=1.0, ext_data_num=2))
    assert len(ds[0]["text"]) == 6 and len(reads) == 3  # the sample and the two it joins


def test_unusable_samples_are_drawn_again(words):
    # the second line's image does not exist: it is never joined, the one usable sample is drawn instead
    ds = _dataset(words, [("ab.png", "ab"), ("missing.png", "zz")])
    for epoch in range(5):
        ds.set_epoch(epoch)
        assert ds[0]["text"] == "abab"


def test_the_ops_before_the_joining_op_prepare_the_others_unless_told(words):
    lines = [(f"{w}.png", w) for w in WORDS]
    grey = _transforms(before=[{"RecAug": {"reverse_prob": 1.0}}])
    ds = _dataset(words, lines, transforms=grey)
    assert [type(op).__name__ for op in ds.ext_ops] == ["DecodeImage", "RecAug"]
    ds = _dataset(words, lines, transforms=grey, ext_op_transform_idx=1)  # the reference's PP-OCRv3 setting
    assert [type(op).__name__ for op in ds.ext_ops] == ["DecodeImage"]
    assert len(ds[0]["text"]) == 4
    ds = _dataset(words, lines, ext_op_transform_idx=0)  # nothing decodes the others
    with pytest.raises(UserError, match=r"expects an \(H, W, C\) image from DecodeImage"):
        ds[0]
    with pytest.raises(UserError, match="ext_op_transform_idx .* an integer from 0 to 2 .* got 3"):
        _dataset(words, lines, transforms=grey, ext_op_transform_idx=3)


def test_evaluation_scores_against_the_joined_text(words):
    ds = _dataset(words, [(f"{w}.png", w) for w in WORDS], mode="Eval")
    assert all(len(ds[i]["text"]) == 4 and ds[i]["valid"] for i in range(len(WORDS)))
