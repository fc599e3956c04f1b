"""ppocr/modeling/fold.py: every batch norm that follows a convolution is folded into it, the
folded copy computes the model's output, and the model itself is left as it was."""
import numpy as np
import paddle
import pytest

from ppocr.config import load_config
from ppocr.modeling.fold import conv_bn_pairs, fold_batch_norms
from ppocr.trained_model.from_config import build_model
from tests.helpers.e2e import REPO
from tests.helpers.parity import decisive_weights

CASES = ["rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att"]


@pytest.mark.parametrize("stem", CASES)
def test_folded_copy_reads_like_the_model(stem):
    config = load_config(str(REPO / "configs" / "rec" / f"{stem}.yml"))
    model = decisive_weights(build_model(config))
    rng = np.random.default_rng(0)
    for layer in model.sublayers():  # running statistics that are not the identity
        if isinstance(layer, paddle.nn.BatchNorm2D):
            layer._mean.set_value(rng.normal(0, 0.2, layer._mean.shape).astype("float32"))
            layer._variance.set_value(rng.uniform(0.5, 2.0, layer._variance.shape).astype("float32"))
    channels = config["Architecture"].get("in_channels", 3)
    x = paddle.to_tensor(rng.uniform(-1, 1, (1, channels, 32, 100)).astype("float32"))
    model.eval()
    with paddle.no_grad():
        before = model(x).numpy()
    folded = fold_batch_norms(model, x)
    assert folded is not model
    norms = [layer for layer in folded.sublayers() if isinstance(layer, paddle.nn.BatchNorm2D)]
    assert not norms and len(conv_bn_pairs(model, x)) > 10  # every 2-D batch norm of these follows a conv
    # after the rectifier (whose grid_sample magnifies float rounding, doc/differences.md) the folded
    # backbone computes the model's features
    other = paddle.to_tensor(rng.uniform(-1, 1, (1, channels, 32, 100)).astype("float32"))
    with paddle.no_grad():
        rectified = model.transform(other)
        want = model.backbone(rectified).numpy()
        np.testing.assert_allclose(folded.backbone(rectified).numpy(), want, rtol=1e-4, atol=1e-4 * np.abs(want).max())
        np.testing.assert_array_equal(model(x).numpy(), before)  # the model itself is untouched
