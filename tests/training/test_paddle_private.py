"""The private parts of Paddle the CPU replicas use (ppocr/training/paddle_private.py) still do what
the replicas rely on: a Paddle release that renames or changes one fails here, by name."""
import numpy as np
import paddle
import pytest
from paddle import nn

from ppocr.training import paddle_private
from ppocr.training.paddle_private import BATCH_NORMS, running_statistics, set_kernel_threads, share_storage


def test_this_paddle_has_every_private_part():
    paddle_private.check()


def test_check_names_what_a_paddle_without_them_lacks(monkeypatch):
    monkeypatch.delattr(paddle.base.core, "set_num_threads")
    with pytest.raises(RuntimeError, match=r"lacks paddle\.base\.core\.set_num_threads.*Global\.cpu_replicas=1"):
        paddle_private.check()


def test_kernel_threads_can_be_set_and_restored():
    set_kernel_threads(1)
    set_kernel_threads(2)


@pytest.mark.parametrize("norm_class, shape", [(nn.BatchNorm1D, [6, 3]), (nn.BatchNorm2D, [6, 3, 4, 4]),
                                               (nn.BatchNorm3D, [6, 3, 2, 2, 2]), (nn.BatchNorm, [6, 3, 4, 4])])
def test_running_statistics_are_what_training_updates_and_evaluation_reads(norm_class, shape):
    assert norm_class in BATCH_NORMS
    paddle.seed(0)
    norm = norm_class(3)
    mean, variance = running_statistics(norm)
    assert mean.shape == variance.shape == [3]
    assert {id(mean), id(variance)} <= {id(p) for p in norm.parameters()}, \
        "the replicas tell the statistics apart from the weights among the parameters"
    x = paddle.randn(shape) * 3 + 2
    norm.train()
    norm(x)
    assert not np.allclose(mean.numpy(), 0) and not np.allclose(variance.numpy(), 1), "training did not update them"
    norm.eval()
    mean.set_value(np.full([3], 5.0, dtype="float32"))
    variance.set_value(np.full([3], 4.0, dtype="float32"))
    expected = (x.numpy() - 5.0) / np.sqrt(4.0 + 1e-5)  # weight 1, bias 0, the default epsilon
    np.testing.assert_allclose(norm(x).numpy(), expected, rtol=1e-4, atol=1e-4)


def test_shared_storage_sees_in_place_updates_both_ways():
    source = paddle.create_parameter([2, 3], "float32")
    target = paddle.create_parameter([2, 3], "float32")
    source.set_value(np.arange(6, dtype="float32").reshape(2, 3))
    share_storage(source, target)
    assert target.data_ptr() == source.data_ptr()
    np.testing.assert_array_equal(target.numpy(), source.numpy())
    with paddle.no_grad():
        source.add_(paddle.ones([2, 3]))  # what the optimizer's update does
    np.testing.assert_array_equal(target.numpy(), np.arange(1, 7, dtype="float32").reshape(2, 3))
