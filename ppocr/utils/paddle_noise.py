"""Paddle's messages that tell a user of this toolkit nothing, held back; every other line passes.

Where each comes from (Paddle 3.x), and why it says nothing here:

- ``No ccache found ...``: a ``UserWarning`` of ``paddle/utils/cpp_extension/extension_utils.py``
  at Paddle's import, about compiling custom C++ operators faster; nothing is compiled at import.
- ``When training, we now always track global mean and variance.``: a ``UserWarning`` of
  ``paddle/nn/layer/norm.py``, from every batch norm's forward in training mode (shown again after
  each evaluation puts the model back in training): a note on a past change of Paddle's.
- ``If regularizer of a Parameter has been set ... will not take effect``: ``logging.info`` on the
  root logger in ``paddle/optimizer/optimizer.py`` at every training start: the configs give the
  CTC head its own decay (``fc_decay``) beside the optimizer's, as PaddleOCR's do, on purpose.
- ``Paddle static graph(PIR) not support input out tensor for now!!!!!``: a glog warning of Paddle's
  C++ (``eager_utils.cc``) while ``tools/export_model.py`` traces the model; the exported graph is
  checked against the model (doc/tools/export_model.md), so the line warns of nothing. C++ writes to
  the file descriptor, so only a filter on descriptor 2 around the export reaches it
  (``native_stderr_without``).

The second log format (``[2026-12-06 08:07:25,573] [ WARNING] device.py:17 - ...``) was Paddle's
root-logger handler; ``ppocr.utils.logging.get_logger`` puts the toolkit's format in its place.

Example::

    hold_back_warnings()   # at import of ppocr: the two warnings above are filtered
    with native_stderr_without(NATIVE_NOISE):
        paddle.jit.save(static, prefix)   # no PIR line; any other line is written to stderr after
"""
import contextlib
import logging
import os
import sys
import tempfile
import warnings

WARNINGS = ("No ccache found", "When training, we now always track global mean and variance")
LOG_NOISE = ("If regularizer of a Parameter has been set",)
NATIVE_NOISE = ("not support input out tensor for now",)


def hold_back_warnings():
    """Filter Paddle's two warnings above (by their message: any other warning still shows)."""
    for message in WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=UserWarning)


class LogNoise(logging.Filter):
    """Leaves out the log records of Paddle's above; for a handler of the root logger."""

    def filter(self, record):
        return not str(record.msg).startswith(LOG_NOISE)


@contextlib.contextmanager
def native_stderr_without(fragments):
    """Run the block with file descriptor 2 (where C++ code writes) caught; afterwards every caught
    line that holds none of ``fragments`` is written to stderr, in order."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            lines = caught.read().decode("utf-8", errors="replace").splitlines(keepends=True)
            kept = [line for line in lines if not any(fragment in line for fragment in fragments)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()
