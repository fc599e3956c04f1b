"""ResNet-vd backbone for text recognition (STAR-Net's residue feature extractor).

He et al., "Bag of Tricks for Image Classification with Convolutional Neural Networks",
CVPR 2019 (the "vd" tweaks: a 3-layer 3x3 stem, and a down-sampling shortcut that
average-pools before its 1x1 convolution); the residual design is He et al., CVPR 2016.
STAR-Net (Liu et al., BMVC 2016) uses a residue network as its feature extractor.
For text lines, stages 2-4 halve only the height (stride (2, 1)), so a 32x100 image gives
a 1x25 feature sequence. Layer names follow the reference release (``conv1_1``,
``bb_0_0.conv0._conv``, ``._batch_norm``, ``short``) so its trained weights load unchanged.
"""
import paddle.nn.functional as F
from paddle import nn

from ppocr.registry import BACKBONES

# blocks per stage
_DEPTHS = {
    18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3],
    101: [3, 4, 23, 3], 152: [3, 8, 36, 3], 200: [3, 12, 48, 3],
}
_STAGE_WIDTHS = [64, 128, 256, 512]


class ConvBNLayer(nn.Layer):
    """Convolution (no bias) + batch norm (+ ReLU); with ``avg_down`` the stride is done by
    average pooling first (ResNet-D), so the 1x1 shortcut sees every input pixel."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, avg_down=False, relu=False):
        super().__init__()
        self.avg_down = avg_down
        self.relu = relu
        if avg_down:
            # ceil_mode keeps an odd last row/column (averaged over the pixels present)
            self._pool2d_avg = nn.AvgPool2D(kernel_size=stride, stride=stride, padding=0, ceil_mode=True)
        self._conv = nn.Conv2D(
            in_channels,
            out_channels,
            kernel_size=kernel_size,
            stride=1 if avg_down else stride,
            padding=(kernel_size - 1) // 2,
            bias_attr=False,
        )
        self._batch_norm = nn.BatchNorm2D(out_channels)

    def forward(self, x):
        if self.avg_down:
            x = self._pool2d_avg(x)
        x = self._batch_norm(self._conv(x))
        return F.relu(x) if self.relu else x


def _shortcut(in_channels, out_channels, stride, first_block, shortcut):
    """The projection shortcut of a stage's first block, or None for the identity."""
    if shortcut:
        return None
    # the very first block (stride 1) projects without pooling
    return ConvBNLayer(in_channels, out_channels, 1, stride=stride, avg_down=not first_block and stride[0] != 1)


class BasicBlock(nn.Layer):
    """Two 3x3 convolutions + shortcut (ResNet-18/34)."""

    expansion = 1

    def __init__(self, in_channels, channels, stride, shortcut=True, first_block=False):
        super().__init__()
        self.conv0 = ConvBNLayer(in_channels, channels, 3, stride=stride, relu=True)
        self.conv1 = ConvBNLayer(channels, channels, 3)
        self.short = _shortcut(in_channels, channels, stride, first_block, shortcut)

    def forward(self, x):
        y = self.conv1(self.conv0(x))
        short = x if self.short is None else self.short(x)
        return F.relu(short + y)


class BottleneckBlock(nn.Layer):
    """1x1 reduce, 3x3, 1x1 expand (x4) + shortcut (ResNet-50 and deeper)."""

    expansion = 4

    def __init__(self, in_channels, channels, stride, shortcut=True, first_block=False):
        super().__init__()
        self.conv0 = ConvBNLayer(in_channels, channels, 1, relu=True)
        self.conv1 = ConvBNLayer(channels, channels, 3, stride=stride, relu=True)
        self.conv2 = ConvBNLayer(channels, channels * 4, 1)
        self.short = _shortcut(in_channels, channels * 4, stride, first_block, shortcut)

    def forward(self, x):
        y = self.conv2(self.conv1(self.conv0(x)))
        short = x if self.short is None else self.short(x)
        return F.relu(short + y)


@BACKBONES.register()
class ResNet(nn.Layer):
    """ResNet-vd for recognition: [N, C, H, W] -> [N, out_channels, H/32, W/4].

    Args:
        in_channels: image channels.
        layers: depth, one of 18, 34, 50, 101, 152, 200.

    Example::

        net = ResNet(in_channels=3, layers=34)
        net(paddle.rand([2, 3, 32, 100])).shape   # [2, 512, 1, 25]
    """

    def __init__(self, in_channels=3, layers=50):
        super().__init__()
        if layers not in _DEPTHS:
            raise ValueError(f"ResNet layers must be one of {sorted(_DEPTHS)}, got {layers!r}")
        block_cls = BottleneckBlock if layers >= 50 else BasicBlock
        self.conv1_1 = ConvBNLayer(in_channels, 32, 3, relu=True)
        self.conv1_2 = ConvBNLayer(32, 32, 3, relu=True)
        self.conv1_3 = ConvBNLayer(32, 64, 3, relu=True)
        self.pool2d_max = nn.MaxPool2D(kernel_size=3, stride=2, padding=1)

        self.block_names = []
        channels = 64
        for stage, depth in enumerate(_DEPTHS[layers]):
            width = _STAGE_WIDTHS[stage]
            for i in range(depth):
                # later stages keep the width resolution: text is long and thin
                stride = (2, 1) if i == 0 and stage != 0 else (1, 1)
                block = block_cls(channels, width, stride, shortcut=i > 0, first_block=stage == i == 0)
                name = f"bb_{stage}_{i}"
                self.add_sublayer(name, block)
                self.block_names.append(name)
                channels = width * block_cls.expansion
        self.out_pool = nn.MaxPool2D(kernel_size=2, stride=2, padding=0)
        self.out_channels = channels

    def forward(self, x):
        x = self.conv1_3(self.conv1_2(self.conv1_1(x)))
        x = self.pool2d_max(x)
        for name in self.block_names:
            x = getattr(self, name)(x)
        return self.out_pool(x)
