import numpy as np
import paddle
import pytest

from ppocr.modeling.backbones.rec_resnet_32 import ResNet32
from ppocr.registry import BACKBONES


def test_one_column_per_decoding_step():
    backbone = BACKBONES.build({"name": "ResNet32", "out_channels": 64}, in_channels=1)
    backbone.eval()
    x = paddle.to_tensor(np.random.default_rng(0).uniform(-1, 1, (2, 1, 32, 100)).astype("float32"))
    assert backbone.out_channels == 64
    assert backbone(x).shape == [2, 64, 1, 26]


def test_block_counts_match_resnet32():
    backbone = ResNet32(in_channels=1, out_channels=512)
    assert [len(getattr(backbone.ConvNet, f"layer{i}")) for i in range(1, 5)] == [1, 2, 5, 3]
    # a projection shortcut only where the width changes
    assert [getattr(backbone.ConvNet, f"layer{i}")[0].downsample is not None for i in range(1, 5)] == [
        True, True, True, False,
    ]


def test_out_channels_must_divide_by_16():
    with pytest.raises(ValueError, match="multiple of 16"):
        ResNet32(in_channels=1, out_channels=100)
