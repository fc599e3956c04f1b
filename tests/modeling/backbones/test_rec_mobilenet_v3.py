"""MobileNetV3 variants beyond the golden configs: shapes, sequence length, the identity start."""
import paddle
import pytest

from ppocr.modeling.backbones.rec_mobilenet_v3 import MobileNetV3, make_divisible


@pytest.mark.parametrize("model_name, scale, channels", [("small", 0.35, 200), ("large", 1.0, 960)])
def test_mobilenet_v3_variants(model_name, scale, channels):
    # the small model's default strides [2, 2, 2, 2] leave no height for a 32-pixel image
    # (as in the reference), so it is used with a stride-1 first block
    net = MobileNetV3(in_channels=3, model_name=model_name, scale=scale, small_stride=[1, 2, 2, 2])
    net.eval()
    assert net.out_channels == channels
    assert net(paddle.rand([1, 3, 32, 64])).shape == [1, channels, 1, 16]
    with pytest.raises(ValueError, match="scale"):
        MobileNetV3(model_name=model_name, scale=0.6)


def test_make_divisible_rounds_to_eight_and_never_far_below():
    assert [make_divisible(v) for v in (8, 12, 201.6, 36, 3)] == [8, 16, 200, 40, 8]


@pytest.mark.parametrize("zero_init", [True, False])
def test_shortcut_units_start_as_the_identity_unless_told_not_to(zero_init):
    paddle.seed(3)
    net = MobileNetV3(in_channels=3, model_name="large", scale=0.5, zero_init_residual=zero_init)
    shortcut = [b for b in net.blocks if b.use_shortcut]
    assert len(shortcut) >= 5
    for block in shortcut:  # training mode: batch statistics, the start of training
        x = paddle.rand([2, block.expand_conv.conv._in_channels, 8, 25])
        identity = bool(paddle.allclose(block(x), x, atol=1e-6))
        assert identity == zero_init
    others = [b for b in net.blocks if not b.use_shortcut]
    assert all(float(b.linear_conv.bn.weight.abs().min()) > 0 for b in others)


def test_default_start_is_the_identity_start():
    net = MobileNetV3(in_channels=3, model_name="large", scale=0.5)
    assert all(float(b.linear_conv.bn.weight.abs().max()) == 0 for b in net.blocks if b.use_shortcut)
