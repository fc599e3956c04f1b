"""TPS rectifier: a localisation network predicts control points, a thin-plate spline warps.

Shi et al., "Robust Scene Text Recognition with Automatic Rectification" (RARE), CVPR 2016,
Sec. 3.1 -- the spatial transformer used as the first stage of STAR-Net (Liu et al.,
"STAR-Net: A SpaTial Attention Residue Network for Scene Text Recognition", BMVC 2016).
Sub-layer names (``loc_net.loc_conv0.conv``, ``grid_generator.fc``, ...) follow the
reference release, so its trained weights load unchanged.
"""
import math

import numpy as np
import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.modeling.transforms.tps_grid import GridGenerator
from ppocr.registry import TRANSFORMS

# (conv channels, fc1 width) of the localisation network
_LOC_SIZES = {"large": ([64, 128, 256, 512], 256), "small": ([16, 32, 64, 128], 64)}


def initial_fiducials(num_fiducial):
    """RARE Fig. 6(a): the control points the untrained network predicts, [F, 2].

    Top edge rising from (−1, 0) to (1, −1), bottom edge falling from (−1, 1) to (1, 0).
    """
    half = num_fiducial // 2
    x = np.linspace(-1.0, 1.0, half)
    top = np.stack([x, np.linspace(0.0, -1.0, half)], axis=1)
    bottom = np.stack([x, np.linspace(1.0, 0.0, half)], axis=1)
    return np.concatenate([top, bottom], axis=0)


class ConvBNReLU(nn.Layer):
    """3x3 convolution (no bias), batch norm, ReLU; names ``conv`` and ``bn``."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2D(in_channels, out_channels, kernel_size=3, padding=1, bias_attr=False)
        self.bn = nn.BatchNorm2D(out_channels)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class LocalizationNetwork(nn.Layer):
    """Image [N, C, H, W] -> predicted control points C' [N, F, 2] in [-1, 1] coordinates.

    Four conv-BN-ReLU layers (max-pooled by 2 between them, globally averaged after the
    last), then fc1 + ReLU and fc2. fc2 starts at zero weights with the initial fiducials
    as bias, so training starts from RARE's Fig. 6(a) points for every image.
    """

    def __init__(self, in_channels, num_fiducial, loc_lr, model_name):
        super().__init__()
        if model_name not in _LOC_SIZES:
            raise ValueError(f"TPS model_name must be one of {sorted(_LOC_SIZES)}, got {model_name!r}")
        channels, fc_dim = _LOC_SIZES[model_name]
        self.num_fiducial = num_fiducial
        self.convs = []
        for i, out_channels in enumerate(channels):
            self.convs.append(self.add_sublayer(f"loc_conv{i}", ConvBNReLU(in_channels, out_channels)))
            in_channels = out_channels
        self.pool = nn.MaxPool2D(kernel_size=2, stride=2)
        self.global_pool = nn.AdaptiveAvgPool2D(output_size=1)

        # loc_lr scales exactly the parameters the reference scales: fc1's weight and fc2
        # (fc1's bias and the convolutions learn at the base rate there, and so here)
        bound = 1.0 / math.sqrt(channels[-1])
        self.fc1 = nn.Linear(
            channels[-1],
            fc_dim,
            weight_attr=paddle.ParamAttr(
                learning_rate=loc_lr, initializer=nn.initializer.Uniform(low=-bound, high=bound)
            ),
        )
        start = initial_fiducials(num_fiducial).reshape(-1).astype(np.float32)
        self.fc2 = nn.Linear(
            fc_dim,
            2 * num_fiducial,
            weight_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Constant(value=0.0)),
            bias_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Assign(start)),
        )
        self.out_channels = 2 * num_fiducial

    def forward(self, x):
        last = len(self.convs) - 1
        for i, conv in enumerate(self.convs):
            x = conv(x)
            x = self.global_pool(x) if i == last else self.pool(x)
        x = F.relu(self.fc1(x.flatten(start_axis=1)))
        return self.fc2(x).reshape([-1, self.num_fiducial, 2])


@TRANSFORMS.register()
class TPS(nn.Layer):
    """Rectify [N, C, H, W] images with a thin-plate spline; the output has the same shape.

    Args:
        in_channels: image channels.
        num_fiducial: number of control points F (20 in STAR-Net).
        loc_lr: learning-rate multiplier of the localisation network's fc layers.
        model_name: ``'large'`` or ``'small'`` localisation network.
        image_size: (H, W) of the input images (and of the rectified output). The sampling
            grid's geometry is fixed at construction for this size; (32, 100) is the
            ``RecResizeImg.image_shape`` of every bundled config.

    Example::

        tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="large")
        rectified = tps(paddle.rand([2, 3, 32, 100]))   # [2, 3, 32, 100]
    """

    def __init__(self, in_channels, num_fiducial, loc_lr, model_name, image_size=(32, 100)):
        super().__init__()
        self.loc_net = LocalizationNetwork(in_channels, num_fiducial, loc_lr, model_name)
        self.grid_generator = GridGenerator(self.loc_net.out_channels, num_fiducial, output_size=image_size)
        self.image_size = tuple(int(s) for s in image_size)
        self.out_channels = in_channels

    predicts_fiducials = True  # BaseModel may ask forward for its control points (a fiducial loss)

    def forward(self, image, return_fiducials=False):
        """The rectified images; with ``return_fiducials``, also the predicted control points C'
        [N, F, 2] (the top edge left to right, then the bottom edge, in [-1, 1] of the input)."""
        height, width = image.shape[2], image.shape[3]
        if height > 0 and width > 0 and (height, width) != self.image_size:
            raise ValueError(
                f"TPS was built for {self.image_size[0]}x{self.image_size[1]} images but got "
                f"{height}x{width}: resize the images to {list(self.image_size)} or set "
                f"Architecture.Transform.image_size: [{height}, {width}]"
            )
        fiducials = self.loc_net(image)
        grid = self.grid_generator(fiducials)
        if image.stop_gradient:
            # Paddle's CPU grid_sample backward crashes (segfault) unless the sampled image
            # takes a gradient; a detached copy keeps the caller's tensor untouched
            image = image.detach()
            image.stop_gradient = False
        dtype = image.dtype
        if dtype != paddle.float32:
            # mixed precision: sample in float32, as the reference does
            image = image.astype("float32")
        out = F.grid_sample(image, grid.astype("float32"), mode="bilinear", padding_mode="zeros", align_corners=True)
        out = out if dtype == paddle.float32 else out.astype(dtype)
        return (out, fiducials) if return_fiducials else out
