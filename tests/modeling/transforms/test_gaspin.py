import numpy as np
import paddle
import pytest
from paddle.static import InputSpec

from ppocr.modeling.transforms.gaspin import GA_SPIN, StructurePreservingTransform, power_exponents
from ppocr.registry import TRANSFORMS

K = 6
IDENTITY = 2 * K  # index of the x^1 curve among the 2K+1 betas


def images(n=2, c=1, seed=0):
    return paddle.to_tensor(np.random.default_rng(seed).uniform(-1, 1, (n, c, 32, 100)).astype("float32"))


def identity_betas(n, scale=5.0):
    betas = np.zeros((n, 2 * K + 1), "float32")
    betas[:, IDENTITY] = scale
    return paddle.to_tensor(betas)


def randomise_norm_statistics(layer, seed=0):
    rng = np.random.default_rng(seed)
    for name, value in layer.state_dict().items():
        if name.endswith("._mean"):
            value.set_value(rng.uniform(-0.5, 0.5, value.shape).astype("float32"))
        elif name.endswith("._variance"):
            value.set_value(rng.uniform(0.5, 1.5, value.shape).astype("float32"))


def test_power_exponents_are_reciprocal_pairs_then_identity():
    # the exact (rounded) exponents the released betas were trained for
    assert power_exponents(6) == [0.03, 33.33, 0.08, 12.5, 0.16, 6.25, 0.27, 3.7, 0.43, 2.33, 0.66, 1.52, 1.0]
    assert len(power_exponents(3)) == 7


def test_identity_betas_keep_the_intensity_order_whatever_their_scale():
    spt = StructurePreservingTransform(in_channels=1, default_type=K)
    x = images(n=2)
    out = spt(x, identity_betas(2, scale=5.0)).numpy()
    # with only x^1 selected, the SPT is the standardised image squashed to [-1, 1]
    intensity = (x.numpy() + 1) / 2
    mean = intensity.mean(axis=(2, 3), keepdims=True)
    var = intensity.var(axis=(2, 3), keepdims=True)
    expected = 2 / (1 + np.exp(-(intensity - mean) / np.sqrt(var + 1e-5 / 25))) - 1
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    flat_in, flat_out = x.numpy()[0].ravel(), out[0].ravel()
    order = np.argsort(flat_in)
    assert np.all(np.diff(flat_out[order]) >= 0)  # structure (intensity order) preserved
    np.testing.assert_allclose(spt(x, identity_betas(2, scale=1.0)).numpy(), out, atol=1e-4)


def test_ain_gate_blends_image_and_offsets():
    spt = StructurePreservingTransform(in_channels=1, default_type=K)
    x, betas = images(n=2), identity_betas(2)
    offsets_a = paddle.full([2, 1, 32, 100], 0.2) + images(n=2, seed=1) * 0.1
    offsets_b = paddle.full([2, 1, 32, 100], 0.7) + images(n=2, seed=2) * 0.1
    closed, opened = paddle.zeros([2, 1, 1, 1]), paddle.ones([2, 1, 1, 1])
    # gate 0: the offsets do not matter, the output is the plain SPT
    np.testing.assert_allclose(spt(x, betas, offsets_a, closed).numpy(), spt(x, betas).numpy(), atol=1e-6)
    # gate 1: the image does not matter, only the offsets
    np.testing.assert_allclose(
        spt(x, betas, offsets_a, opened).numpy(), spt(images(n=2, seed=3), betas, offsets_a, opened).numpy(), atol=1e-6
    )
    assert not np.allclose(spt(x, betas, offsets_a, opened).numpy(), spt(x, betas, offsets_b, opened).numpy())


def test_untrained_structure_head_starts_at_identity_betas_closed_gate_and_rare_fiducials():
    spin = GA_SPIN(in_channels=1, offsets=True, default_type=K, loc_lr=0.1, stn=True)
    spin.eval()
    x = images(n=3)
    params = spin.stucture_fc2(spin.stucture_fc1(spin.spt_convnet(x))).numpy()
    assert params.shape == (3, 2 * K + 1 + 1 + 40)
    np.testing.assert_array_equal(params[:, :IDENTITY], 0.0)
    np.testing.assert_allclose(params[:, IDENTITY : IDENTITY + 2], [[5.0, -5.0]] * 3)
    fiducials = params[:, IDENTITY + 2 :].reshape(3, 20, 2)
    np.testing.assert_allclose(fiducials[:, [0, 9, 10, 19]], [[[-1, 0], [1, -1], [-1, 1], [1, 0]]] * 3, atol=1e-6)


@pytest.mark.parametrize("offsets, stn", [(True, True), (False, True), (True, False), (False, False)])
def test_output_shape_and_registration(offsets, stn):
    spin = TRANSFORMS.build({"name": "GA_SPIN", "offsets": offsets, "default_type": 3, "stn": stn}, in_channels=3)
    spin.eval()
    assert spin.out_channels == 3
    assert spin(images(n=2, c=3)).shape == [2, 3, 32, 100]
    assert ("GridGenerator.fc.weight" in spin.state_dict()) == stn
    assert ("offset_fc2.weight" in spin.state_dict()) == offsets


def test_conv_batch_norms_use_running_statistics_in_training():
    spin = GA_SPIN(in_channels=1, offsets=True, default_type=K, stn=True)
    randomise_norm_statistics(spin)
    before = {k: v.numpy().copy() for k, v in spin.state_dict().items() if k.endswith(("._mean", "._variance"))}
    x = images(n=4)
    spin.eval()
    feat_eval = spin.spt_convnet(x).numpy()
    offsets_eval = spin.offset_fc1(spin.spt_convnet(x)).numpy()
    spin.train()
    np.testing.assert_allclose(spin.spt_convnet(x).numpy(), feat_eval, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(spin.offset_fc1(spin.spt_convnet(x)).numpy(), offsets_eval, rtol=1e-6, atol=1e-6)
    spin(x).mean().backward()
    after = {k: v.numpy() for k, v in spin.state_dict().items() if k in before}
    frozen = [k for k in before if not k.startswith("stucture_fc1.14.")]
    for k in frozen:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)
    # the reference's one exception: the BatchNorm1D after the linear layer learns batch statistics
    assert not np.array_equal(after["stucture_fc1.14._mean"], before["stucture_fc1.14._mean"])


def test_fixed_geometry_is_float32_outside_the_state_dict():
    spin = GA_SPIN(in_channels=1, offsets=True, default_type=K, stn=True)
    buffers = dict(spin.named_buffers())
    geometry = [k for k in buffers if k.startswith("GridGenerator.")]
    assert geometry, "the TPS grid generator should hold its fixed geometry as buffers"
    assert all(buffers[k].dtype == paddle.float32 for k in geometry)
    assert not set(geometry) & set(spin.state_dict())


def test_no_float64_in_the_traced_forward():
    spin = GA_SPIN(in_channels=1, offsets=True, default_type=K, loc_lr=0.1, stn=True)
    spin.eval()
    x = images(n=2)
    expected = spin(x).numpy()
    static = paddle.jit.to_static(spin, input_spec=[InputSpec([None, 1, 32, 100], "float32")], full_graph=True)
    np.testing.assert_allclose(static(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    program = static.forward.concrete_program.main_program
    types = [str(r.type()) for op in program.global_block().ops for r in op.results()]
    assert types and not [t for t in types if "f64" in t]


def test_bad_norm_type_is_rejected_and_instance_norm_runs():
    with pytest.raises(ValueError, match="norm_type"):
        GA_SPIN(norm_type="GN")
    spin = GA_SPIN(in_channels=1, norm_type="IN", offsets=True)
    spin.eval()
    assert spin(images(n=1)).shape == [1, 1, 32, 100]


def test_offset_upsampling_equals_bilinear_interpolation():
    """The AIN offset map is upsampled by one fixed matrix (no interpolate op, no batched
    broadcast matmul in the exported graph); it must be exactly paddle's half-pixel bilinear resize,
    for every image and channel of the batch."""
    import paddle.nn.functional as F

    paddle.seed(3)
    spin = GA_SPIN(in_channels=3, offsets=True)
    x = paddle.rand([5, 3, 2, 6])
    expected = F.interpolate(x, size=[32, 100], mode="bilinear", align_corners=False, align_mode=0)
    ours = spin._upsample(x, [32, 100])
    assert ours.shape == [5, 3, 32, 100]
    np.testing.assert_allclose(ours.numpy(), expected.numpy(), atol=1e-6)
