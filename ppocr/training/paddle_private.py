"""The private parts of Paddle the CPU model replicas (replicas.py) rely on, in one place.

Paddle has no public way to set the calling thread's kernel threads, to name a batch norm's
running statistics apart from its weights (it keeps them as parameters), or to make one tensor
use another's storage. Each wrapper below is the only place its private name appears; a Paddle
release that renames one makes ``check()`` (called when the replicas are built) say which one,
and tests/training/test_paddle_private.py fail, instead of an AttributeError in the middle of a step.
"""
import paddle
from paddle import nn

BATCH_NORMS = (nn.BatchNorm, nn.BatchNorm1D, nn.BatchNorm2D, nn.BatchNorm3D)


def set_kernel_threads(threads):
    """The calling thread's compute threads in Paddle's kernels (MKL and OpenMP)."""
    paddle.base.core.set_num_threads(int(threads))


def running_statistics(norm):
    """(running mean, running variance) of a batch norm layer: the tensors its training forward
    updates in place and its evaluation forward reads."""
    return norm._mean, norm._variance


def share_storage(source, target):
    """Make ``target`` use ``source``'s storage (same shape and dtype): an in-place update of
    either is then seen by both."""
    source._share_buffer_to(target)


def check():
    """Raise a RuntimeError naming what this Paddle lacks of the above, and what to do instead."""
    missing = []
    if not callable(getattr(getattr(paddle.base, "core", None), "set_num_threads", None)):
        missing.append("paddle.base.core.set_num_threads")
    with paddle.utils.unique_name.guard():  # the probe takes no name from the layers built after it
        norm = nn.BatchNorm2D(1)
    if not all(isinstance(getattr(norm, name, None), paddle.Tensor) for name in ("_mean", "_variance")):
        missing.append("BatchNorm._mean/_variance")
    if not callable(getattr(paddle.zeros([1]), "_share_buffer_to", None)):
        missing.append("Tensor._share_buffer_to")
    if missing:
        raise RuntimeError(
            f"PaddlePaddle {paddle.__version__} lacks {', '.join(missing)}, which the CPU model replicas "
            "use (ppocr/training/paddle_private.py); expected a 3.x release that has them. Train with "
            "-o Global.cpu_replicas=1, or install a PaddlePaddle this project was tested with (requirements.txt)."
        )
