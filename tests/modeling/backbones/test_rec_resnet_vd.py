"""ResNet-vd and MobileNetV3 variants beyond the golden configs: shapes and sequence length."""
import paddle
import pytest

from ppocr.modeling.backbones.rec_resnet_vd import ResNet


@pytest.mark.parametrize("layers, channels", [(18, 512), (50, 2048)])
def test_resnet_vd_gives_a_height_one_sequence_of_width_w_over_4(layers, channels):
    net = ResNet(in_channels=1, layers=layers)
    net.eval()
    assert net.out_channels == channels
    assert net(paddle.rand([1, 1, 32, 64])).shape == [1, channels, 1, 16]


def test_resnet_vd_down_sampling_shortcut_average_pools():
    net = ResNet(in_channels=3, layers=18)
    assert net.bb_1_0.short.avg_down and not net.bb_0_0.short.avg_down
    assert net.bb_1_1.short is None
    with pytest.raises(ValueError, match="layers"):
        ResNet(layers=20)
