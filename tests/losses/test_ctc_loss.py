"""CTCLoss against a brute-force sum over alignments."""
import itertools

import numpy as np
import paddle
import pytest

from ppocr.charset import CTCCharset
from ppocr.errors import UserError
from ppocr.losses import build_loss
from ppocr.losses.ctc_loss import CTCLoss, fiducial_loss


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


def test_fiducial_loss_counts_only_the_samples_that_have_points():
    predicted = paddle.zeros([3, 20, 2])
    target = paddle.zeros([3, 20, 2])
    target[1] = 0.5  # off by 0.5 everywhere, beyond smooth L1's quadratic part: 0.5 - 0.05
    target[2] = 5.0  # a sample without points: whatever its targets, it does not count
    mask = paddle.to_tensor([1.0, 1.0, 0.0])
    np.testing.assert_allclose(float(fiducial_loss(predicted, target, mask)), (0.0 + 0.45) / 2, rtol=1e-6)
    assert float(fiducial_loss(predicted, target, paddle.zeros([3]))) == 0.0  # a batch of real crops


def test_fiducial_weight_adds_the_rectifier_term_when_the_model_returns_points():
    paddle.seed(0)
    logits = paddle.randn([2, 6, 5])
    fiducials = paddle.zeros([2, 20, 2])
    fiducials.stop_gradient = False
    batch = {"label": paddle.to_tensor([[1, 2, 0], [4, 0, 0]]), "length": paddle.to_tensor([2, 1]),
             "fiducials": paddle.full([2, 20, 2], 0.05), "fiducial_mask": paddle.to_tensor([1.0, 1.0])}
    ctc = float(CTCLoss(CTCCharset())(logits, batch)["loss"])
    off = CTCLoss(CTCCharset())({"head": logits, "fiducials": fiducials}, batch)
    assert float(off["loss"]) == ctc and set(off) == {"loss"}  # weight 0: the reference's loss
    out = CTCLoss(CTCCharset(), fiducial_weight=2.0)({"head": logits, "fiducials": fiducials}, batch)
    # 0.05 off: the quadratic part, 0.5 * 0.05^2 / 0.1
    np.testing.assert_allclose(float(out["fiducial_loss"]), 0.0125, rtol=1e-5)
    np.testing.assert_allclose(float(out["loss"]), ctc + 2.0 * 0.0125, rtol=1e-5)
    out["loss"].backward()
    assert float(fiducials.grad.abs().sum()) > 0


def test_fiducial_weight_must_be_a_non_negative_number():
    for bad in (-0.1, "0.1", True):
        with pytest.raises(UserError, match="fiducial_weight"):
            CTCLoss(CTCCharset(), fiducial_weight=bad)
