"""Several evaluation sets scored with chosen predictions (a stub model and post-processing), so
every number can be checked by hand: each protocol, the weighted total, the mean, no sample dropped."""
import cv2
import numpy as np
import paddle
import pytest

from ppocr.data import build_set_loaders
from ppocr.evaluation.evaluator import evaluate, evaluate_sets
from ppocr.evaluation.failures import FailureLog, contact_sheet
from ppocr.metrics import RecMetric
from ppocr.trained_model.from_config import build_charset
from tests.helpers.datasets import make_config, word_png, write_lmdb

# set A: 'Tel:' and '' cannot be encoded by the 36-character charset, but their images are scored
SET_A = [("hello", "hello"), ("World", "world"), ("Tel:", "tel"), ("", ""), ("abc", "abd")]
# set B: 'x y' cannot be encoded; the last image is not an image (unusable, scored as wrong)
SET_B = [("12", "12"), ("x y", "xy"), ("ok", "OK"), ("bad", "bad")]


class Identity(paddle.nn.Layer):
    def forward(self, images):
        return images


class ChosenPredictions:
    """Returns the chosen strings in evaluation order (one process, sets and samples in order)."""

    def __init__(self, texts):
        self.texts = list(texts)

    def __call__(self, preds):
        batch, self.texts = self.texts[: len(preds)], self.texts[len(preds):]
        return [(t, 0.5) for t in batch]


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    root = tmp_path_factory.mktemp("benchmarks")
    write_lmdb(str(root / "A"), [(label, word_png(label or "-")) for label, _ in SET_A])
    write_lmdb(str(root / "B"), [(label, word_png(label)) for label, _ in SET_B[:-1]] + [("bad", b"not an image")])
    config = make_config({"name": "LMDBDataSet", "data_dir": str(root)}, batch_size=2)
    charset = build_charset(config)
    return config, charset


def run(sets, protocol, failures=None):
    config, charset = sets
    loaders = build_set_loaders(config, "Eval", charset)
    postprocess = ChosenPredictions([p for _, p in SET_A + SET_B])
    return evaluate_sets(Identity(), loaders, postprocess, RecMetric(protocol=protocol), charset,
                         progress=False, failures=failures)


def test_alnum36_per_set_total_and_mean(sets):
    report = run(sets, "alnum36")
    a, b = report.sets
    assert (a.name, a.samples, a.correct, a.unusable, a.unencodable_labels) == ("A", 5, 4, 0, 2)
    assert (b.name, b.samples, b.correct, b.unusable, b.unencodable_labels) == ("B", 4, 3, 1, 1)
    assert a.norm_edit_dis == pytest.approx(1 - (1 / 3) / 5)  # abd vs abc
    assert b.norm_edit_dis == pytest.approx(1 - 1 / 4)  # the unusable sample has distance 1
    total, mean = report.total(), report.mean()
    assert total["samples"] == 9 and total["acc"] == pytest.approx(7 / 9)
    assert total["norm_edit_dis"] == pytest.approx(1 - (1 / 3 + 1) / 9)
    assert mean["acc"] == pytest.approx((4 / 5 + 3 / 4) / 2)


def test_case_sensitive_and_reference(sets):
    a, b = run(sets, "case_sensitive").sets
    assert (a.correct, b.correct) == (2, 1)  # hello, '' / 12
    assert a.norm_edit_dis == pytest.approx(1 - (1 / 5 + 2 / 4 + 1 / 3) / 5)
    assert b.norm_edit_dis == pytest.approx(1 - (1 / 3 + 1 + 1) / 4)
    a, b = run(sets, "reference").sets  # labels lower-cased by the charset, spaces dropped
    assert (a.correct, b.correct) == (3, 2)  # hello, world, '' / 12, xy
    assert [s.samples for s in (a, b)] == [5, 4]


def test_trainer_evaluate_pools_the_folder(sets):
    config, charset = sets
    from ppocr.data import build_dataloader

    postprocess = ChosenPredictions([p for _, p in SET_A + SET_B])
    out = evaluate(Identity(), build_dataloader(config, "Eval", charset), postprocess,
                   RecMetric(protocol="alnum36"), charset, progress=False)
    assert out["samples"] == 9 and out["acc"] == pytest.approx(7 / 9)
    assert out["unusable"] == 1 and out["unencodable_labels"] == 3


def test_failures_tsv_and_contact_sheets(sets, tmp_path):
    failures = FailureLog(max_tiles=10)
    run(sets, "alnum36", failures=failures)
    paths = failures.write(str(tmp_path / "failures"))
    lines = (tmp_path / "failures" / "failures.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["set", "index", "label", "prediction", "score", "unusable"]
    assert [line.split("\t")[:4] + line.split("\t")[5:] for line in lines[1:]] == [
        ["A", "4", "abc", "abd", "0"], ["B", "3", "bad", "bad", "1"]]
    for name in ("A", "B"):
        sheet = cv2.imread(str(tmp_path / "failures" / f"{name}.png"))
        assert sheet is not None and sheet.shape[0] > 64 and str(tmp_path / "failures" / f"{name}.png") in paths
    # the un-normalised tile of 'abc' is the image the model saw: dark text on white, grey padding
    tile = failures.rows[0].pixels
    assert tile.dtype == np.uint8 and tile.shape == (32, 100, 3) and tile.max() == 255
    placeholder = failures.rows[1].pixels  # unusable: the zero placeholder shows as mid-grey
    assert placeholder.min() == placeholder.max() == 128


def test_contact_sheet_of_grey_tiles_and_long_texts():
    grey = np.full((32, 100, 1), 200, dtype=np.uint8)
    sheet = contact_sheet([(grey, "x" * 80, "ünïcode")] * 7 + [(None, "", "")])
    assert sheet.shape == (2 * (64 + 36 + 8), 6 * (200 + 8), 3)
