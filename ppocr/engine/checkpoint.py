"""Checkpoints: ``prefix.pdparams`` (weights), ``.pdopt`` (optimizer and schedule), ``.states``.

A checkpoint is three files that must agree. Each is written under a temporary name first;
then a small journal naming the renames is written atomically, the renames are done and the
journal removed. A crash before the journal leaves the old checkpoint; a crash after it is
completed by ``recover`` at the next load, so a reader never sees a mixed checkpoint.

``.states`` is JSON (epoch, global step, best metric); a reference-release ``.states``
(a pickle) is still read, through ``paddle.load``. Like ``paddle.load`` itself, that
unpickles: load only checkpoints you trust.
"""
import json
import logging
import os

import paddle

from ppocr.errors import UserError
from ppocr.utils.io import atomic_save, atomic_write_bytes

logger = logging.getLogger("ppocr")
SUFFIXES = (".pdparams", ".pdopt", ".states")


def _strip(path):
    for suffix in SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def save_checkpoint(prefix, model, optimizer=None, states=None):
    """Write ``prefix.{pdparams,pdopt,states}`` as one unit (see the module docstring)."""
    recover(prefix)
    staged = []
    parts = [(".pdparams", model.state_dict(), paddle.save)]
    if optimizer is not None:
        parts.append((".pdopt", optimizer.state_dict(), paddle.save))
    parts.append((".states", json.dumps(states or {}, indent=1).encode("utf-8"), None))
    for suffix, obj, save_fn in parts:
        tmp = f"{prefix}{suffix}.staged"
        if save_fn is None:
            atomic_write_bytes(tmp, obj)
        else:
            atomic_save(obj, tmp, save_fn)
        staged.append([tmp, prefix + suffix])
    atomic_write_bytes(prefix + ".commit", json.dumps(staged).encode("utf-8"))
    recover(prefix)


def recover(prefix):
    """Finish a checkpoint write that was interrupted after its journal was written."""
    journal = prefix + ".commit"
    if not os.path.exists(journal):
        return
    with open(journal, "rb") as f:
        try:
            staged = json.loads(f.read().decode("utf-8"))
        except ValueError:
            staged = []  # cannot happen with an atomic journal; an unreadable one commits nothing
    for tmp, final in staged:
        if os.path.exists(tmp):
            os.replace(tmp, final)
    os.remove(journal)


def read_states(prefix):
    path = prefix + ".states"
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return dict(paddle.load(path))  # a reference-release pickle


def load_weights(model, path, skip_mismatched=False):
    """Load ``path(.pdparams)`` into ``model``. A tensor whose shape differs is an error naming it
    and both shapes, unless ``skip_mismatched`` (then it is left as initialised, with a warning)."""
    prefix = _strip(path)
    recover(prefix)
    file = prefix + ".pdparams"
    if not os.path.isfile(file):
        raise UserError(f"weights file {file!r} does not exist: give the checkpoint prefix, e.g. output/rec/x/best_accuracy")
    try:
        saved = paddle.load(file)
    except Exception as e:  # a truncated or foreign file: say which, not paddle's internals
        raise UserError(f"cannot read weights file {file!r}: {type(e).__name__}: {e}") from None
    own = model.state_dict()
    fitted, missing = {}, []
    for name, tensor in own.items():
        if name not in saved:
            missing.append(name)
            continue
        value = saved[name]
        shape = list(value.shape)
        if shape != list(tensor.shape):
            message = (f"tensor {name!r} has shape {shape} in {file!r} but {list(tensor.shape)} in the model "
                       "(a different dictionary or architecture?)")
            if not skip_mismatched:
                raise UserError(message + "; set Global.skip_mismatched_tensors=True to load the rest")
            logger.warning("skipped " + message)
            continue
        fitted[name] = value
    if missing:
        if not fitted:
            raise UserError(f"{file!r} holds none of the model's tensors (is it a checkpoint of another model?)")
        logger.warning("%d model tensors are not in %s, left as initialised: %s", len(missing), file, ", ".join(missing[:5]))
    model.set_state_dict(fitted)
    logger.info("loaded weights from %s", file)
    return prefix


def load_checkpoint(prefix, model, optimizer=None, skip_mismatched=False):
    """Resume: weights, optimizer (with its learning-rate schedule) and the training states."""
    prefix = load_weights(model, prefix, skip_mismatched=skip_mismatched)
    if optimizer is not None and os.path.exists(prefix + ".pdopt"):
        optimizer.set_state_dict(paddle.load(prefix + ".pdopt"))
    elif optimizer is not None:
        logger.warning("%s.pdopt not found: the optimizer starts afresh", prefix)
    return read_states(prefix)
