"""ResNet32: the 32-layer residual feature extractor of SPIN.

The network is FAN's ResNet (Cheng et al., "Focusing Attention: Towards Accurate Text
Recognition in Natural Images", ICCV 2017) as used by SPIN (Zhang et al., "SPIN:
Structure-Preserving Inner Offset Network for Scene Text Recognition", AAAI 2021): a 32x100
image becomes a [N, out_channels, 1, 26] feature map, one column per decoding position.
Sub-layer names follow the reference release so its trained weights load unchanged.
"""
from paddle import nn

from ppocr.registry import BACKBONES

# residual blocks per stage, as in FAN / SPIN
_BLOCKS_PER_STAGE = (1, 2, 5, 3)


def _conv(in_channels, out_channels, kernel_size=3, stride=1, padding=1):
    return nn.Conv2D(
        in_channels,
        out_channels,
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        weight_attr=nn.initializer.KaimingNormal(),
        bias_attr=False,
    )


class BasicBlock(nn.Layer):
    """Two 3x3 convolutions with a (projected when the width changes) shortcut."""

    def __init__(self, in_channels, channels):
        super().__init__()
        self.conv1 = _conv(in_channels, channels)
        self.bn1 = nn.BatchNorm2D(channels)
        self.conv2 = _conv(channels, channels)
        self.bn2 = nn.BatchNorm2D(channels)
        self.relu = nn.ReLU()
        self.downsample = None
        if in_channels != channels:
            self.downsample = nn.Sequential(
                _conv(in_channels, channels, kernel_size=1, padding=0), nn.BatchNorm2D(channels)
            )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + shortcut)


class _ResNet(nn.Layer):
    """The body; kept as its own layer because the reference names it ``ConvNet``."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        widths = [out_channels // 4, out_channels // 2, out_channels, out_channels]
        stem = out_channels // 8
        self.conv0_1 = _conv(in_channels, out_channels // 16)
        self.bn0_1 = nn.BatchNorm2D(out_channels // 16)
        self.conv0_2 = _conv(out_channels // 16, stem)
        self.bn0_2 = nn.BatchNorm2D(stem)
        self.relu = nn.ReLU()

        self.maxpool1 = nn.MaxPool2D(kernel_size=2, stride=2, padding=0)
        self.layer1 = self._stage(stem, widths[0], _BLOCKS_PER_STAGE[0])
        self.conv1 = _conv(widths[0], widths[0])
        self.bn1 = nn.BatchNorm2D(widths[0])

        self.maxpool2 = nn.MaxPool2D(kernel_size=2, stride=2, padding=0)
        self.layer2 = self._stage(widths[0], widths[1], _BLOCKS_PER_STAGE[1])
        self.conv2 = _conv(widths[1], widths[1])
        self.bn2 = nn.BatchNorm2D(widths[1])

        # from here on only the height is halved: the width keeps one column per character
        self.maxpool3 = nn.MaxPool2D(kernel_size=2, stride=(2, 1), padding=(0, 1))
        self.layer3 = self._stage(widths[1], widths[2], _BLOCKS_PER_STAGE[2])
        self.conv3 = _conv(widths[2], widths[2])
        self.bn3 = nn.BatchNorm2D(widths[2])

        self.layer4 = self._stage(widths[2], widths[3], _BLOCKS_PER_STAGE[3])
        self.conv4_1 = _conv(widths[3], widths[3], kernel_size=2, stride=(2, 1), padding=(0, 1))
        self.bn4_1 = nn.BatchNorm2D(widths[3])
        self.conv4_2 = _conv(widths[3], widths[3], kernel_size=2, stride=1, padding=0)
        self.bn4_2 = nn.BatchNorm2D(widths[3])

    @staticmethod
    def _stage(in_channels, channels, blocks):
        layers = [BasicBlock(in_channels, channels)]
        layers += [BasicBlock(channels, channels) for _ in range(blocks - 1)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu(self.bn0_1(self.conv0_1(x)))
        x = self.relu(self.bn0_2(self.conv0_2(x)))
        x = self.layer1(self.maxpool1(x))
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.maxpool2(x))
        x = self.relu(self.bn2(self.conv2(x)))
        x = self.layer3(self.maxpool3(x))
        x = self.relu(self.bn3(self.conv3(x)))
        x = self.layer4(x)
        x = self.relu(self.bn4_1(self.conv4_1(x)))
        return self.relu(self.bn4_2(self.conv4_2(x)))


@BACKBONES.register()
class ResNet32(nn.Layer):
    """SPIN's backbone: [N, in_channels, 32, 100] -> [N, out_channels, 1, 26].

    Example::

        backbone = ResNet32(in_channels=1)
        backbone(paddle.zeros([2, 1, 32, 100])).shape   # [2, 512, 1, 26]
    """

    def __init__(self, in_channels, out_channels=512):
        super().__init__()
        if out_channels % 16:
            raise ValueError(f"ResNet32 out_channels must be a multiple of 16, got {out_channels}")
        self.out_channels = out_channels
        self.ConvNet = _ResNet(in_channels, out_channels)

    def forward(self, x):
        return self.ConvNet(x)
