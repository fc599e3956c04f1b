"""MobileNetV3 backbone for text recognition.

Howard et al., "Searching for MobileNetV3", ICCV 2019 (Tables 1 and 2: the large and small
block tables, squeeze-and-excite, hard-swish). The recognition variant keeps the width
resolution: its down-sampling blocks stride (2, 1), and a final 2x2 max pool gives a
1 x W/4 feature sequence. Layer names follow the reference release (``conv1``,
``blocks.N.expand_conv.conv``, ``mid_se``, ``conv2``) so its trained weights load unchanged.
"""
import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.ops import DepthwiseConv2D, hardswish
from ppocr.registry import BACKBONES

# kernel, expansion width, output width, squeeze-excite, activation, stride (an index into
# the model's four configurable strides, or None for 1)
_LARGE = [
    (3, 16, 16, False, "relu", 0),
    (3, 64, 24, False, "relu", 1),
    (3, 72, 24, False, "relu", None),
    (5, 72, 40, True, "relu", 2),
    (5, 120, 40, True, "relu", None),
    (5, 120, 40, True, "relu", None),
    (3, 240, 80, False, "hardswish", None),
    (3, 200, 80, False, "hardswish", None),
    (3, 184, 80, False, "hardswish", None),
    (3, 184, 80, False, "hardswish", None),
    (3, 480, 112, True, "hardswish", None),
    (3, 672, 112, True, "hardswish", None),
    (5, 672, 160, True, "hardswish", 3),
    (5, 960, 160, True, "hardswish", None),
    (5, 960, 160, True, "hardswish", None),
]
_SMALL = [
    (3, 16, 16, True, "relu", 0),
    (3, 72, 24, False, "relu", 1),
    (3, 88, 24, False, "relu", None),
    (5, 96, 40, True, "hardswish", 2),
    (5, 240, 40, True, "hardswish", None),
    (5, 240, 40, True, "hardswish", None),
    (5, 120, 48, True, "hardswish", None),
    (5, 144, 48, True, "hardswish", None),
    (5, 288, 96, True, "hardswish", 3),
    (5, 576, 96, True, "hardswish", None),
    (5, 576, 96, True, "hardswish", None),
]
# block table, last 1x1 conv width, default strides
_MODELS = {"large": (_LARGE, 960, [1, 2, 2, 2]), "small": (_SMALL, 576, [2, 2, 2, 2])}
_SCALES = (0.35, 0.5, 0.75, 1.0, 1.25)
_ACTIVATIONS = {"relu": F.relu, "hardswish": hardswish, None: None}


def make_divisible(value, divisor=8):
    """Round a channel count to a multiple of ``divisor``, never more than 10% below it."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class ConvBNLayer(nn.Layer):
    """Convolution (no bias) + batch norm + optional activation; names ``conv`` and ``bn``."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, groups=1, act=None):
        super().__init__()
        padding = (kernel_size - 1) // 2
        if groups == in_channels == out_channels and groups > 1:  # depthwise: the fast CPU kernel
            self.conv = DepthwiseConv2D(in_channels, kernel_size, stride=stride, padding=padding)
        else:
            self.conv = nn.Conv2D(in_channels, out_channels, kernel_size=kernel_size, stride=stride,
                                  padding=padding, groups=groups, bias_attr=False)
        self.bn = nn.BatchNorm2D(out_channels)
        self.act = _ACTIVATIONS[act]

    def forward(self, x):
        x = self.bn(self.conv(x))
        return x if self.act is None else self.act(x)


class SEModule(nn.Layer):
    """Squeeze-and-excite with a hard-sigmoid gate (MobileNetV3 Sec. 5.3)."""

    def __init__(self, channels, reduction=4):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2D(output_size=1)
        self.conv1 = nn.Conv2D(channels, channels // reduction, kernel_size=1)
        self.conv2 = nn.Conv2D(channels // reduction, channels, kernel_size=1)

    def forward(self, x):
        gate = self.conv2(F.relu(self.conv1(self.avg_pool(x))))
        # slope 0.2 (not 1/6) as in the reference release, whose weights assume it
        return x * F.hardsigmoid(gate, slope=0.2, offset=0.5)


class ResidualUnit(nn.Layer):
    """Inverted residual: 1x1 expand, depthwise kxk, optional SE, 1x1 linear projection."""

    def __init__(self, in_channels, mid_channels, out_channels, kernel_size, stride, use_se, act):
        super().__init__()
        self.use_shortcut = tuple(stride) == (1, 1) and in_channels == out_channels
        self.expand_conv = ConvBNLayer(in_channels, mid_channels, 1, act=act)
        self.bottleneck_conv = ConvBNLayer(
            mid_channels, mid_channels, kernel_size, stride=stride, groups=mid_channels, act=act
        )
        self.mid_se = SEModule(mid_channels) if use_se else None
        self.linear_conv = ConvBNLayer(mid_channels, out_channels, 1)

    def forward(self, inputs):
        x = self.bottleneck_conv(self.expand_conv(inputs))
        if self.mid_se is not None:
            x = self.mid_se(x)
        x = self.linear_conv(x)
        return inputs + x if self.use_shortcut else x


@BACKBONES.register()
class MobileNetV3(nn.Layer):
    """MobileNetV3 for recognition: [N, C, 32, W] -> [N, out_channels, 1, W/4].

    Args:
        in_channels: image channels.
        model_name: ``'large'`` or ``'small'`` block table.
        scale: width multiplier, one of 0.35, 0.5, 0.75, 1.0, 1.25.
        large_stride, small_stride: the vertical strides of the four down-sampling blocks
            (the first block of ``large`` strides in both directions; the others stride (s, 1)).
        disable_se: drop every squeeze-and-excite module.
        zero_init_residual: start the batch-norm scale of each shortcut unit's last layer at
            zero, so every such unit begins as the identity (Goyal et al., "Accurate, Large
            Minibatch SGD", 2017, Sec. 5.1). Only an initialisation: trained or reference
            weights overwrite it. From scratch it takes the STAR-Net out of CTC's all-blank
            start sooner (doc/differences.md); ``False`` gives the reference's start.

    Example::

        net = MobileNetV3(in_channels=3, model_name="large", scale=0.5)
        net(paddle.rand([2, 3, 32, 100])).shape   # [2, 480, 1, 25]
    """

    def __init__(self, in_channels=3, model_name="small", scale=0.5, large_stride=None, small_stride=None,
                 disable_se=False, zero_init_residual=True):
        super().__init__()
        if model_name not in _MODELS:
            raise ValueError(f"MobileNetV3 model_name must be 'large' or 'small', got {model_name!r}")
        if scale not in _SCALES:
            raise ValueError(f"MobileNetV3 scale must be one of {_SCALES}, got {scale!r}")
        table, last_width, strides = _MODELS[model_name]
        given = large_stride if model_name == "large" else small_stride
        if given is not None:
            if not isinstance(given, (list, tuple)) or len(given) != 4:
                raise ValueError(f"MobileNetV3 {model_name}_stride must be a list of 4 ints, got {given!r}")
            strides = list(given)

        channels = make_divisible(16 * scale)
        self.conv1 = ConvBNLayer(in_channels, channels, 3, stride=2, act="hardswish")
        blocks = []
        for kernel, expand, width, use_se, act, stride_index in table:
            stride = (1, 1) if stride_index is None else self._block_stride(model_name, stride_index, strides)
            out = make_divisible(scale * width)
            blocks.append(ResidualUnit(
                channels, make_divisible(scale * expand), out, kernel, stride, use_se and not disable_se, act
            ))
            channels = out
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = make_divisible(scale * last_width)
        self.conv2 = ConvBNLayer(channels, self.out_channels, 1, act="hardswish")
        self.pool = nn.MaxPool2D(kernel_size=2, stride=2, padding=0)
        if zero_init_residual:
            for block in blocks:
                if block.use_shortcut:
                    gamma = block.linear_conv.bn.weight
                    gamma.set_value(paddle.zeros_like(gamma))

    @staticmethod
    def _block_stride(model_name, index, strides):
        # the reference strides the large model's first block in both directions
        if model_name == "large" and index == 0:
            return (strides[0], strides[0])
        return (strides[index], 1)

    def forward(self, x):
        x = self.conv2(self.blocks(self.conv1(x)))
        return self.pool(x)
