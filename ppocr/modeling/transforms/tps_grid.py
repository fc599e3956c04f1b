"""Thin-plate-spline sampling grid, shared by the TPS and GA-SPIN rectifiers.

Shi et al., "Robust Scene Text Recognition with Automatic Rectification" (RARE), CVPR 2016,
Sec. 3.1.2 (the grid generator): given the predicted control points C' of an image, the TPS
parameters are T = inv(Delta_C) @ [C'; 0] (Eq. 1) and every point p of the rectified image
is sampled from p' = T @ p_hat (Eq. 3), with p_hat = [1, x, y, r_1^2 log r_1, ..., r_F^2 log r_F].

Everything that does not depend on the image -- the base control points C, the inverse of
the kernel matrix Delta_C and the basis p_hat of every output pixel -- is computed once,
in float64 numpy, at construction and stored as float32 non-persistable buffers. The
forward pass is two matmuls, so an exported inference graph holds no float64, no matrix
inverse and no meshgrid.
"""
import numpy as np
import paddle
from paddle import nn

# keeps log(r) finite where an output pixel sits exactly on a control point
_RBF_EPS = 1e-6


def base_control_points(num_fiducial):
    """C: F/2 points evenly along the top edge (y=-1), then F/2 along the bottom (y=+1)."""
    half = num_fiducial // 2
    x = np.linspace(-1.0, 1.0, half)
    top = np.stack([x, -np.ones(half)], axis=1)
    bottom = np.stack([x, np.ones(half)], axis=1)
    return np.concatenate([top, bottom], axis=0)  # [F, 2]


def inverse_kernel_matrix(ctrl):
    """inv(Delta_C) of RARE Eq. 1, [F+3, F+3], for control points ``ctrl`` [F, 2]."""
    f = ctrl.shape[0]
    # +eye keeps log() finite on the diagonal, where r=1 gives r^2 log r = 0 as wanted
    r = np.linalg.norm(ctrl[None, :, :] - ctrl[:, None, :], axis=2) + np.eye(f)
    kernel = r**2 * np.log(r)
    delta = np.zeros((f + 3, f + 3))
    delta[:f, 0] = 1.0
    delta[:f, 1:3] = ctrl
    delta[:f, 3:] = kernel
    delta[f : f + 2, 3:] = ctrl.T
    delta[f + 2, 3:] = 1.0
    return np.linalg.inv(delta)


def output_points(height, width):
    """Pixel centres of the rectified image in [-1, 1], row-major: [H*W, 2] as (x, y)."""
    xs = (np.arange(-width, width, 2) + 1.0) / width
    ys = (np.arange(-height, height, 2) + 1.0) / height
    grid_x, grid_y = np.meshgrid(xs, ys, indexing="xy")  # both [H, W]
    return np.stack([grid_x, grid_y], axis=2).reshape(-1, 2)


def grid_basis(ctrl, points):
    """P_hat of RARE Eq. 3: rows [1, x, y, r_1^2 log r_1, ...], [H*W, F+3]."""
    r = np.linalg.norm(points[:, None, :] - ctrl[None, :, :], axis=2)
    rbf = r**2 * np.log(r + _RBF_EPS)
    return np.concatenate([np.ones((points.shape[0], 1)), points, rbf], axis=1)


class GridGenerator(nn.Layer):
    """Predicted control points C' -> a ``F.grid_sample`` grid of the rectified image.

    Args:
        in_channels: size of the input of ``fc`` (``2 * num_fiducial``: the flattened C').
        num_fiducial: F, the number of control points (even).
        output_size: (H, W) of the rectified image (and of the grid).

    ``fc`` (Linear(in_channels, 6), zero, learning rate 0) reproduces the reference release:
    its output, reshaped to [N, 3, 2], takes the place of the three zero rows of [C'; 0] in
    Eq. 1. It is in the state_dict, so the released weights load; it stays zero in training.

    forward(fiducials): ``fiducials`` [N, F, 2] (x, y in [-1, 1]) -> grid [N, H, W, 2].

    Example::

        gen = GridGenerator(in_channels=40, num_fiducial=20, output_size=(32, 100))
        grid = gen(fiducials)                      # [N, 32, 100, 2]
        rectified = F.grid_sample(images, grid)    # [N, C, 32, 100]
    """

    def __init__(self, in_channels, num_fiducial, output_size=(32, 100)):
        super().__init__()
        if num_fiducial % 2 or num_fiducial < 4:
            raise ValueError(f"num_fiducial must be an even number >= 4, got {num_fiducial}")
        self.num_fiducial = int(num_fiducial)
        self.output_size = (int(output_size[0]), int(output_size[1]))
        zero_frozen = paddle.ParamAttr(learning_rate=0.0, initializer=nn.initializer.Constant(value=0.0))
        self.fc = nn.Linear(in_channels, 6, weight_attr=zero_frozen, bias_attr=zero_frozen)

        ctrl = base_control_points(self.num_fiducial)
        basis = grid_basis(ctrl, output_points(*self.output_size))
        for name, value in (
            ("ctrl_points", ctrl),
            ("inv_delta_c", inverse_kernel_matrix(ctrl)),
            ("p_hat", basis),
        ):
            buf = paddle.to_tensor(value.astype(np.float32))
            buf.stop_gradient = True
            # fixed geometry: rebuilt from the config, so kept out of checkpoints
            self.register_buffer(name, buf, persistable=False)

    def forward(self, fiducials):
        # detached as in the reference: the fc branch is a frozen constant, not a gradient path
        extra = self.fc(fiducials.flatten(start_axis=1)).reshape([-1, 3, 2]).detach()
        targets = paddle.concat([fiducials, extra], axis=1)  # [N, F+3, 2]
        tps = paddle.matmul(self.inv_delta_c, targets)  # T of Eq. 1, [N, F+3, 2]
        grid = paddle.matmul(self.p_hat, tps)  # Eq. 3, [N, H*W, 2]
        return grid.reshape([-1, self.output_size[0], self.output_size[1], 2])
