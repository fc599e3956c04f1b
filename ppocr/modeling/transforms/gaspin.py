"""GA-SPIN: the Geometry-Absorbed Structure-Preserving Inner Offset Network rectifier.

Zhang et al., "SPIN: Structure-Preserving Inner Offset Network for Scene Text Recognition",
AAAI 2021. One localisation network predicts, per image,
- the structure-preserving transformation (SPT, Eq. 2-4): weights beta of 2K+1 power
  curves x^p, whose weighted sum is normalised and squashed back to [-1, 1];
- the auxiliary inner-offset network's (AIN) gate alpha (Eq. 5): the colour input is
  (1 - alpha) * x + alpha * x_offsets, x_offsets a coarse per-region intensity map;
- with ``stn``, the TPS fiducial points of a geometric rectification (the "GA" part),
  sampled through the shared TPS grid generator.
Sub-layer names (including the reference's spelling ``stucture_fc*``) follow the reference
release so its trained weights load unchanged.
"""
import math

import numpy as np
import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.modeling.transforms.tps import initial_fiducials
from ppocr.modeling.transforms.tps_grid import GridGenerator
from ppocr.registry import TRANSFORMS

NUM_FIDUCIAL = 20
# initial structure-head outputs: beta of the identity curve x^1 on, AIN gate sigmoid(-5) ~ off
IDENTITY_BETA, GATE_OFF = 5.0, -5.0


def power_exponents(k):
    """The 2K+1 exponents of the SPT's power curves: K pairs (p, 1/p), then 1.

    p_i = log(1 - i / (2(K+1))) / log(i / (2(K+1))), i = 1..K, rounded to two decimals as
    in the reference release (its trained betas belong to these exact exponents).
    """
    exponents = []
    for i in range(1, k + 1):
        step = 0.5 / (k + 1) * i
        lower = round(math.log(1 - step) / math.log(step), 2)
        exponents += [lower, round(1 / lower, 2)]
    return exponents + [1.0]


class StructurePreservingTransform(nn.Layer):
    """SPT (Eq. 2-4) with the AIN blend (Eq. 5): images in [-1, 1] -> images in [-1, 1]."""

    def __init__(self, in_channels, default_type):
        super().__init__()
        self.exponents = power_exponents(default_type)
        # all 2K+1 curves in one broadcast pow: Paddle 3.3's oneDNN ``pow`` with a scalar exponent
        # overwrites its input in place even when another op still reads it (doc/differences.md)
        exponents = np.asarray(self.exponents, dtype="float32").reshape([1, -1, 1, 1, 1])
        self.register_buffer("exponent_tensor", paddle.to_tensor(exponents), persistable=False)
        self.bn = nn.InstanceNorm2D(in_channels)

    def forward(self, x, betas, offsets=None, gate=None):
        """``betas`` [N, 2K+1]; ``offsets`` [N, C, H, W] in (0, 1); ``gate`` [N, 1, 1, 1]."""
        intensity = (x + 1) * 0.5  # the power curves act on intensities in [0, 1]
        if offsets is not None:
            intensity = intensity * (1 - gate) + offsets * gate
        curves = paddle.pow(intensity.unsqueeze(1), self.exponent_tensor)  # [N, 2K+1, C, H, W]
        mixed = paddle.sum(curves * betas.reshape([0, -1, 1, 1, 1]), axis=1)
        return F.sigmoid(self.bn(mixed)) * 2 - 1


def _frozen_batch_norm(channels):
    # the reference trains these with their running statistics (never updated): keep that
    return nn.BatchNorm2D(channels, use_global_stats=True)


def _instance_norm(channels):
    return nn.InstanceNorm2D(channels, weight_attr=False, bias_attr=False)


def _conv_norm_relu(in_channels, out_channels, norm):
    conv = nn.Conv2D(in_channels, out_channels, kernel_size=3, stride=1, padding=1, bias_attr=False)
    return [conv, norm(out_channels), nn.ReLU()]


@TRANSFORMS.register()
class GA_SPIN(nn.Layer):
    """GA-SPIN rectifier: [N, C, H, W] in [-1, 1] -> [N, C, I_r_size...] in [-1, 1].

    Args:
        in_channels: 1 (grey) or 3 (colour) image channels.
        I_r_size: (height, width) of the rectified image (the TPS sampling grid).
        offsets: add AIN (SPIN); False is SPN without inner offsets.
        norm_type: 'BN' (frozen running statistics, as the reference) or 'IN'.
        default_type: K, giving 2K+1 power curves (6 in the paper).
        loc_lr: learning-rate multiplier of the structure head ``stucture_fc2``.
        stn: add the geometric TPS rectification (GA-SPIN); False is colour only.

    Example::

        spin = GA_SPIN(in_channels=1, offsets=True, default_type=6, loc_lr=0.1, stn=True)
        spin(paddle.zeros([2, 1, 32, 100])).shape   # [2, 1, 32, 100]
    """

    def __init__(self, in_channels=1, I_r_size=(32, 100), offsets=False, norm_type="BN",
                 default_type=6, loc_lr=1.0, stn=True):
        super().__init__()
        if norm_type not in ("BN", "IN"):
            raise ValueError(f"GA_SPIN norm_type must be 'BN' or 'IN', got {norm_type!r}")
        norm = _frozen_batch_norm if norm_type == "BN" else _instance_norm
        self.offsets = bool(offsets)
        self.stn = bool(stn)
        self.I_r_size = tuple(int(s) for s in I_r_size)
        self.out_channels = in_channels
        self.num_fiducial = NUM_FIDUCIAL
        self.spt_length = 2 * default_type + 1

        self.sp_net = StructurePreservingTransform(in_channels, default_type)
        self.spt_convnet = nn.Sequential(  # 32x100 -> 4x12, shared by structure and AIN heads
            *_conv_norm_relu(in_channels, 32, norm), nn.MaxPool2D(kernel_size=2, stride=2),
            *_conv_norm_relu(32, 64, norm), nn.MaxPool2D(kernel_size=2, stride=2),
            *_conv_norm_relu(64, 128, norm), nn.MaxPool2D(kernel_size=2, stride=2),
        )
        self.stucture_fc1 = nn.Sequential(
            *_conv_norm_relu(128, 256, norm), nn.MaxPool2D(kernel_size=2, stride=2),
            *_conv_norm_relu(256, 256, norm), nn.MaxPool2D(kernel_size=2, stride=2),
            *_conv_norm_relu(256, 512, norm), nn.AdaptiveAvgPool2D(output_size=1),
            nn.Flatten(start_axis=1, stop_axis=-1),
            # the reference's Normal(0.001) is mean=0.001, std=1 (positional mean); kept as trained
            nn.Linear(512, 256, weight_attr=nn.initializer.Normal(mean=0.001, std=1.0)),
            # the one norm layer that uses batch statistics in training, as in the reference
            nn.BatchNorm1D(256),
            nn.ReLU(),
        )
        initial = [0.0] * (2 * default_type) + [IDENTITY_BETA] + ([GATE_OFF] if self.offsets else [])
        if self.stn:
            self.GridGenerator = GridGenerator(2 * NUM_FIDUCIAL, NUM_FIDUCIAL, output_size=self.I_r_size)
            initial = np.concatenate([initial, initial_fiducials(NUM_FIDUCIAL).reshape(-1)])
        initial = np.asarray(initial, dtype="float32")
        # zero weights: every image starts from the same, near-identity, transformation
        self.stucture_fc2 = nn.Linear(
            256,
            initial.size,
            weight_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Constant(value=0.0)),
            bias_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Assign(initial)),
        )
        if self.offsets:
            self.offset_fc1 = nn.Sequential(*_conv_norm_relu(128, 16, norm))
            self.offset_fc2 = nn.Conv2D(16, in_channels, kernel_size=3, stride=1, padding=1)
            self.pool = nn.MaxPool2D(kernel_size=2, stride=2)
            # the offset map of an I_r_size input is 1/16 of it; its bilinear upsampling is one
            # fixed [h*w, H*W] matrix applied by a plain 2-D matmul, so the exported graph has no
            # interpolate op and no batched broadcast matmul (both fail under oneDNN in Paddle 3.3
            # inference: doc/differences.md, "oneDNN")
            small = (self.I_r_size[0] // 16, self.I_r_size[1] // 16)
            self.offset_map_size = small
            upsample = np.kron(bilinear_matrix(small[0], self.I_r_size[0]), bilinear_matrix(small[1], self.I_r_size[1]))
            self.register_buffer("upsample_matrix", paddle.to_tensor(upsample.T.astype("float32")), persistable=False)

    def forward(self, x):
        feat = self.spt_convnet(x)
        params = self.stucture_fc2(self.stucture_fc1(feat))
        betas = params[:, : self.spt_length]
        offsets = gate = None
        rest = self.spt_length
        if self.offsets:
            gate = F.sigmoid(params[:, rest : rest + 1]).reshape([-1, 1, 1, 1])
            rest += 1
            # a 2x6 map of region intensities, upsampled smoothly to the image (Sec. AIN)
            offsets = F.sigmoid(self.pool(self.offset_fc2(self.offset_fc1(feat))))
            offsets = self._upsample(offsets, x.shape[2:])
        x = self.sp_net(x, betas, offsets, gate)
        if self.stn:
            fiducials = params[:, rest:].reshape([-1, self.num_fiducial, 2])
            grid = self.GridGenerator(fiducials)
            x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)
        return x

    def _upsample(self, offsets, size):
        if tuple(offsets.shape[2:]) == self.offset_map_size and tuple(size) == self.I_r_size:
            channels = offsets.shape[1]
            flat = offsets.reshape([-1, self.offset_map_size[0] * self.offset_map_size[1]])
            return paddle.matmul(flat, self.upsample_matrix).reshape([-1, channels, *self.I_r_size])
        return F.interpolate(offsets, size=size, mode="bilinear", align_corners=False, align_mode=0)


def bilinear_matrix(in_size, out_size):
    """[out_size, in_size] float32 matrix of half-pixel bilinear resampling (``align_corners=False``)."""
    src = np.clip((np.arange(out_size) + 0.5) * in_size / out_size - 0.5, 0, None)
    low = np.minimum(np.floor(src).astype(int), in_size - 1)
    high = np.minimum(low + 1, in_size - 1)
    frac = src - low
    matrix = np.zeros((out_size, in_size), dtype=np.float64)
    matrix[np.arange(out_size), low] += 1 - frac
    matrix[np.arange(out_size), high] += frac
    return matrix.astype("float32")
