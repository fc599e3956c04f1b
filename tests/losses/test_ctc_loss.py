"""CTCLoss against a brute-force sum over alignments."""
import itertools

import numpy as np
import paddle

from ppocr.charset import CTCCharset
from ppocr.losses import build_loss
from ppocr.losses.ctc_loss import CTCLoss


def _brute_force_nll(logits, label):
    """-log sum_{paths collapsing to label} prod_t softmax(logits)_t[path_t]; blank = 0."""
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in merged if c != 0] == list(label):
            total += np.prod([probs[t, c] for t, c in enumerate(path)])
    return -np.log(total)


def test_loss_is_the_batch_mean_of_the_ctc_negative_log_likelihood():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 4, 4)).astype(np.float32)  # N=3, T=4, C=4
    label = np.array([[1, 2, 0], [3, 3, 0], [2, 0, 0]], dtype=np.int64)  # padded with the blank
    length = np.array([2, 2, 1], dtype=np.int64)
    expected = np.mean([_brute_force_nll(logits[i].astype(np.float64), label[i, : length[i]]) for i in range(3)])
    batch = {"label": paddle.to_tensor(label), "length": paddle.to_tensor(length)}
    out = CTCLoss(CTCCharset())(paddle.to_tensor(logits), batch)
    assert set(out) == {"loss"} and out["loss"].shape == []
    np.testing.assert_allclose(float(out["loss"]), expected, rtol=1e-5)


def test_gradient_flows_to_the_logits_and_focal_weighting_lowers_the_loss():
    paddle.seed(0)
    logits = paddle.randn([2, 6, 5])
    logits.stop_gradient = False
    batch = {"label": paddle.to_tensor([[1, 2, 0], [4, 0, 0]]), "length": paddle.to_tensor([2, 1])}
    loss = CTCLoss(CTCCharset())(logits, batch)["loss"]
    loss.backward()
    assert np.abs(logits.grad.numpy()).sum() > 0
    focal = CTCLoss(CTCCharset(), use_focal_loss=True)(logits, batch)["loss"]
    assert 0 < float(focal) < float(loss)


def test_build_loss_reads_the_loss_section():
    loss = build_loss({"Loss": {"name": "CTCLoss"}, "Global": {}}, CTCCharset())
    assert isinstance(loss, CTCLoss)
