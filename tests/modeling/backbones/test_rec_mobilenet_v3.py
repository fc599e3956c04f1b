"""ResNet-vd and MobileNetV3 variants beyond the golden configs: shapes and sequence length."""
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
