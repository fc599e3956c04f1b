"""Distributed evaluation: tools/eval.py under ``paddle.distributed.launch --nproc_per_node 2``
(gloo, CPU) gives exactly the single-process result on the same weights and data. The set has
15 samples, not a multiple of 2 processes x batch 4, two of them unreadable, and half of the
labels are what the model reads, so that accuracy is not trivially zero on both sides."""
import json

import numpy as np
import paddle
import pytest

from ppocr import build_model, merge_config
from ppocr.data.preprocess import Preprocessor, image_transforms
from ppocr.postprocess import build_postprocess
from ppocr.trained_model.from_config import build_charset
from tests.helpers.e2e import REPO, run_tool
from tests.helpers.datasets import write_lmdb
from tests.helpers.tiny import CONFIG, word_png

WORDS = ["cat", "dog", "sun", "red", "tree", "blue", "cold", "warm", "fish", "bird", "rain", "snow", "moon"]


@pytest.fixture(scope="module")
def weights_and_set(tmp_path_factory):
    root = tmp_path_factory.mktemp("dist_eval")
    paddle.seed(7)
    config = merge_config(str(REPO / CONFIG))
    model = build_model(config)
    model.eval()
    paddle.save(model.state_dict(), str(root / "weights.pdparams"))
    images = [word_png(w) for w in WORDS]
    preprocess = Preprocessor(image_transforms(config))
    with paddle.no_grad():
        probs = model(paddle.to_tensor(np.stack([preprocess(raw) for raw in images])))
    read = [text for text, _ in build_postprocess(config, build_charset(config))(probs)]
    # even samples labelled with what the model reads (when it reads anything), odd ones with the word
    labels = [r if i % 2 == 0 and r else w for i, (r, w) in enumerate(zip(read, WORDS))]
    samples = list(zip(labels, images))
    samples[3:3] = [("lost", b"not an image")]
    samples[11:11] = [("gone", b"")]
    write_lmdb(root / "val", samples)
    return root


def _result(stdout):
    return json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])


@pytest.mark.distributed
@pytest.mark.subprocess_tools
def test_two_process_evaluation_equals_one_process(weights_and_set, tmp_path):
    root = weights_and_set
    opts = ["-c", CONFIG, "-o", "Global.use_gpu=False", f"Global.pretrained_model={root / 'weights'}",
            f"Eval.dataset.data_dir={root / 'val'}", "Eval.loader.batch_size_per_card=4", "Eval.loader.num_workers=0"]
    single = _result(run_tool("tools/eval.py", *opts, timeout=300).stdout)
    logs = tmp_path / "logs"
    run_tool("-m", "paddle.distributed.launch", "--nproc_per_node", "2", "--log_dir", logs, "tools/eval.py", *opts,
             timeout=300)
    double = _result((logs / "workerlog.0").read_text())
    assert single["samples"] == 15 and single["unusable"] == 2
    assert single["acc"] > 0, single  # a real comparison, not 0 == 0
    for key in ("acc", "norm_edit_dis", "samples", "unusable"):
        assert double[key] == single[key], (key, double, single)
    assert "processes: 2" in (logs / "workerlog.0").read_text()


class _Model:
    training = False

    def eval(self):
        pass

    def __call__(self, images):
        return images


class _Loader(list):
    batch_sampler = None


class _Metric:
    """Scores sample k (its text is str(k)) with a fixed distance: fractions whose float sums round."""

    def __init__(self, distances):
        self.distances = distances

    def score(self, results, texts, valid, charset):
        d = np.array([self.distances[int(t)] for t in texts])
        return d == 0, d


def _counts(distances, bounds, batch_size):
    from ppocr.evaluation.evaluator import score_loader

    total = np.zeros(5)
    for begin, end in bounds:  # one shard per process, summed as the all-reduce does
        batches = _Loader({"image": None, "text": [str(k) for k in range(i, min(i + batch_size, end))],
                    "valid": np.ones(min(batch_size, end - i), dtype=bool)} for i in range(begin, end, batch_size))
        total += score_loader(_Model(), batches, lambda preds: preds, _Metric(distances), None, progress=False)
    return total


def test_distance_sums_do_not_depend_on_batching_or_sharding():
    rng = np.random.default_rng(0)
    distances = rng.integers(0, 9, 1001) / rng.integers(1, 26, 1001)  # Levenshtein / longer length
    one = _counts(distances, [(0, 1001)], 1)
    for bounds, batch in [([(0, 1001)], 256), ([(0, 500), (500, 1001)], 8), ([(0, 333), (333, 667), (667, 1001)], 5)]:
        assert _counts(distances, bounds, batch).tolist() == one.tolist(), (bounds, batch)
