"""TPS rectifier and its grid generator: geometry, buffers, gradients, exported graph."""
import numpy as np
import paddle
import pytest
from paddle.static import InputSpec

from ppocr.modeling.transforms.tps import TPS
from ppocr.modeling.transforms.tps_grid import GridGenerator, base_control_points, grid_basis, inverse_kernel_matrix
from ppocr.registry import TRANSFORMS

H, W = 32, 100


def _identity_tps(model_name="small"):
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name=model_name)
    # the localisation net now predicts the base control points C for every image
    tps.loc_net.fc2.weight.set_value(np.zeros(tps.loc_net.fc2.weight.shape, np.float32))
    tps.loc_net.fc2.bias.set_value(base_control_points(20).reshape(-1).astype(np.float32))
    tps.eval()
    return tps


def test_identity_control_points_reproduce_the_image():
    # a linear ramp: bilinear sampling of it is exact, so the output reads off the sample positions
    xs = np.linspace(-1.0, 1.0, W, dtype=np.float32)  # value = x coordinate of each pixel centre
    ys = np.linspace(-1.0, 1.0, H, dtype=np.float32)
    image = np.stack([np.tile(xs, (H, 1)), np.tile(ys[:, None], (1, W)), np.full((H, W), 0.5, np.float32)])
    out = _identity_tps()(paddle.to_tensor(image[None])).numpy()[0]
    # grid_sample(align_corners=True) reads pixel centres of the grid (2j+1)/W - 1, as the
    # reference does: the identity is exact up to half a pixel at the borders
    expected_x = (2 * np.arange(W) + 1) / W - 1
    expected_y = (2 * np.arange(H) + 1) / H - 1
    # float32 sums of the spline kernel round differently with each BLAS kernel (MKL's AVX2 and
    # AVX-512 paths: up to 5e-5); 1e-4 is 1/600 of a pixel row, and a wrong spline is off by pixels
    np.testing.assert_allclose(out[0], np.tile(expected_x, (H, 1)), atol=1e-4)
    np.testing.assert_allclose(out[1], np.tile(expected_y[:, None], (1, W)), atol=1e-4)
    np.testing.assert_allclose(out[2], 0.5, atol=1e-6)
    np.testing.assert_allclose(out[:2], image[:2], atol=1.0 / H + 1e-5)


def test_spline_passes_through_the_predicted_control_points():
    # RARE Eq. 1: T = inv(Delta_C) [C'; 0] maps every base point C_k exactly to C'_k
    rng = np.random.default_rng(0)
    ctrl = base_control_points(20)
    moved = ctrl + rng.uniform(-0.2, 0.2, ctrl.shape)
    targets = np.concatenate([moved, np.zeros((3, 2))])
    mapped = grid_basis(ctrl, ctrl) @ inverse_kernel_matrix(ctrl) @ targets
    np.testing.assert_allclose(mapped, moved, atol=1e-5)


def test_grid_generator_forward_matches_float64_geometry():
    rng = np.random.default_rng(1)
    fiducials = (base_control_points(20) + rng.uniform(-0.1, 0.1, (4, 20, 2))).astype(np.float32)
    gen = GridGenerator(in_channels=40, num_fiducial=20, output_size=(H, W))
    grid = gen(paddle.to_tensor(fiducials)).numpy()
    assert grid.shape == (4, H, W, 2) and grid.dtype == np.float32
    ctrl = base_control_points(20)
    rows = (2 * np.arange(H) + 1) / H - 1
    cols = (2 * np.arange(W) + 1) / W - 1
    points = np.stack(np.meshgrid(cols, rows, indexing="xy"), axis=2).reshape(-1, 2)
    exact = grid_basis(ctrl, points) @ inverse_kernel_matrix(ctrl) @ np.concatenate(
        [fiducials.astype(np.float64), np.zeros((4, 3, 2))], axis=1
    )
    np.testing.assert_allclose(grid, exact.reshape(4, H, W, 2), atol=1e-4)


def test_fixed_geometry_is_kept_out_of_the_state_dict():
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="large")
    keys = list(tps.state_dict())
    grid_keys = [k for k in keys if k.startswith("grid_generator.")]
    assert grid_keys == ["grid_generator.fc.weight", "grid_generator.fc.bias"]
    buffers = dict(tps.grid_generator.named_buffers())
    assert set(buffers) == {"ctrl_points", "inv_delta_c", "p_hat"}
    assert all(b.dtype == paddle.float32 for b in buffers.values())
    assert tuple(buffers["p_hat"].shape) == (H * W, 23) and tuple(buffers["inv_delta_c"].shape) == (23, 23)


def test_learning_rates_follow_the_reference():
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="large")
    lr = {name: p.optimize_attr["learning_rate"] for name, p in tps.named_parameters()}
    assert lr["loc_net.fc1.weight"] == lr["loc_net.fc2.weight"] == lr["loc_net.fc2.bias"] == pytest.approx(0.1)
    assert lr["loc_net.loc_conv0.conv.weight"] == lr["loc_net.fc1.bias"] == 1.0
    assert lr["grid_generator.fc.weight"] == lr["grid_generator.fc.bias"] == 0.0
    assert not np.any(tps.grid_generator.fc.weight.numpy())


def test_backward_reaches_the_localisation_net_from_a_data_batch():
    paddle.seed(0)
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="small")
    tps.train()
    image = paddle.rand([2, 3, H, W])  # stop_gradient=True, like a data-loader batch
    tps(image).square().mean().backward()
    assert image.stop_gradient and image.grad is None  # the caller's tensor is untouched
    assert tps.loc_net.fc2.bias.grad is not None and np.abs(tps.loc_net.fc2.bias.grad.numpy()).sum() > 0
    assert tps.grid_generator.fc.weight.grad is None  # detached, as in the reference


def test_images_of_another_size_are_refused_with_the_fix():
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="small")
    with pytest.raises(ValueError, match="image_size"):
        tps(paddle.rand([1, 3, 32, 128]))
    wide = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="small", image_size=(32, 128))
    assert wide(paddle.rand([1, 3, 32, 128])).shape == [1, 3, 32, 128]


def test_exported_grid_is_float32_matmuls_only():
    gen = GridGenerator(in_channels=40, num_fiducial=20)
    gen.eval()
    static = paddle.jit.to_static(gen, input_spec=[InputSpec([None, 20, 2], "float32")], full_graph=True)
    program = static.forward.concrete_program.main_program
    ops = program.global_block().ops
    names = [op.name() for op in ops]
    types = [str(r.type()) for op in ops for r in op.results()]
    assert not [t for t in types if "f64" in t], types
    assert not [n for n in names if any(w in n for w in ("inverse", "meshgrid", "linspace", "norm", "log"))], names
    assert names.count("pd_op.matmul") == 3  # fc, inv(Delta_C) @ C', P_hat @ T


def test_registered_under_its_config_name():
    tps = TRANSFORMS.build({"name": "TPS", "num_fiducial": 20, "loc_lr": 0.1, "model_name": "large"}, in_channels=3)
    assert tps.out_channels == 3
    with pytest.raises(ValueError, match="model_name"):
        TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="medium")


def test_the_model_learns_the_generators_control_points_from_the_fiducial_loss(repo_root):
    """With ``fiducials`` in the targets a training STAR-Net returns its TPS's points next to the
    head's logits; the fiducial loss alone moves them onto the targets. Evaluation is unchanged."""
    from ppocr import build_model, load_config
    from ppocr.losses.ctc_loss import fiducial_loss

    paddle.seed(3)
    model = build_model(load_config(str(repo_root / "configs/rec/pretrain_mv3_tps_bilstm_ctc.yml")))
    images = paddle.to_tensor(np.random.default_rng(0).uniform(-1, 1, (4, 3, H, W)).astype("float32"))
    # an arch: the top and bottom edges bowed upwards in the middle
    x = np.linspace(-0.9, 0.9, 10)
    target = np.concatenate([np.stack([x, -0.6 - 0.3 * (1 - x**2)], 1), np.stack([x, 0.6 - 0.3 * (1 - x**2)], 1)])
    targets = {"fiducials": paddle.to_tensor(np.tile(target[None], (4, 1, 1)).astype("float32")),
               "fiducial_mask": paddle.ones([4])}
    model.train()
    out = model(images, targets)
    assert set(out) == {"head", "fiducials"} and out["fiducials"].shape == [4, 20, 2]
    assert isinstance(model(images, {"label": paddle.zeros([4, 25], "int64")}), paddle.Tensor)  # no points asked
    optimizer = paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    losses = []
    for _ in range(15):
        loss = fiducial_loss(model(images, targets)["fiducials"], targets["fiducials"], targets["fiducial_mask"])
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        losses.append(float(loss))
    assert losses[-1] < 0.3 * losses[0], losses
    model.eval()
    assert isinstance(model(images, targets), paddle.Tensor)
