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
import shutil

import paddle

from ppocr.errors import UserError
from ppocr.utils.io import atomic_save, atomic_write_bytes, fsync_dir

logger = logging.getLogger("ppocr")
SUFFIXES = (".pdparams", ".pdopt", ".states")
FLOATS = (paddle.float16, paddle.bfloat16, paddle.float32, paddle.float64)
PARAMETER_NAMES = "parameter_names"  # in .states: the model's parameter names, in order, when saved


def _strip(path):
    for suffix in SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def save_checkpoint(prefix, model, optimizer=None, states=None, same_as=None):
    """Write ``prefix.{pdparams,pdopt,states}`` as one unit (see the module docstring).

    ``same_as``: the prefix of a checkpoint written from this very model and optimizer state (no
    step since): its ``.pdparams`` and ``.pdopt`` are linked (or copied) instead of serialised
    again (a SPIN checkpoint is 600 MB: about 3 s of ``paddle.save``, 0.6-0.8 s to copy, nothing to
    link). Ignored when those files are not there."""
    recover(prefix)
    _remove_orphans(prefix)
    parts = [(".pdparams", model.state_dict)]
    if optimizer is not None:
        parts.append((".pdopt", optimizer.state_dict))
    staged = []
    for suffix, state in parts:
        source = same_as + suffix if same_as else None
        if source and os.path.isfile(source):
            tmp = _stage_copy(prefix + suffix, source)
        else:
            tmp = _stage(prefix + suffix, state())
        staged.append(tmp)
    states = dict(states or {})
    if optimizer is not None:  # what the optimizer's moments are keyed by (see load_checkpoint)
        states[PARAMETER_NAMES] = [p.name for p in model.parameters()]
    staged.append(_stage(prefix + ".states", json.dumps(states, indent=1).encode("utf-8")))
    suffixes = [suffix for suffix, _ in parts] + [".states"]
    # names relative to the journal's folder, so a moved output folder still recovers
    journal = [[os.path.basename(tmp), os.path.basename(prefix + suffix)] for tmp, suffix in zip(staged, suffixes)]
    atomic_write_bytes(prefix + ".commit", json.dumps(journal).encode("utf-8"))
    recover(prefix)


def _stage(path, obj):
    """Write one file of a checkpoint under its staged name; returns that name."""
    tmp = path + ".staged"
    if isinstance(obj, bytes):
        atomic_write_bytes(tmp, obj)
    else:
        atomic_save(obj, tmp, paddle.save)
    return tmp


def _stage_copy(path, source):
    """Stage ``source`` (a file of another checkpoint of this state) as ``path``'s next version: a
    hard link where the file system allows one (no bytes written: both names share the file until
    either is rewritten, which always replaces the name, never the file), else a byte copy."""
    tmp = path + ".staged"
    try:
        os.remove(tmp)
    except FileNotFoundError:
        pass
    try:
        os.link(source, tmp)
    except OSError:  # another device, or a file system without hard links
        atomic_save(source, tmp, shutil.copyfile)
    return tmp


def recover(prefix):
    """Finish a checkpoint write that was interrupted after its journal was written.

    Safe to run while another process does the same (e.g. eval.py reading ``latest`` during training).
    """
    journal = prefix + ".commit"
    if not os.path.exists(journal):
        return
    folder = os.path.dirname(os.path.abspath(prefix))
    try:
        with open(journal, "rb") as f:
            staged = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        return  # another process completed it
    except ValueError:
        staged = []  # cannot happen with an atomic journal; an unreadable one commits nothing
    for tmp, final in staged:
        if os.path.basename(tmp) == tmp:  # journals of earlier versions held whole paths
            tmp, final = os.path.join(folder, tmp), os.path.join(folder, final)
        _commit(tmp, final)
    fsync_dir(folder)
    try:
        os.remove(journal)
    except FileNotFoundError:
        pass


def _commit(tmp, final):
    """Rename one staged file into place; False if it was renamed already (before a crash, or by
    another process)."""
    try:
        os.replace(tmp, final)
    except FileNotFoundError:
        return False
    try:  # a link to the file it replaces (a checkpoint rewritten at the same step): rename left both names
        if os.path.samefile(tmp, final):
            os.remove(tmp)
    except FileNotFoundError:
        pass
    return True


def _remove_orphans(prefix):
    """Staged and temporary files a crash left before the journal: never committed, never read."""
    folder, base = os.path.split(os.path.abspath(prefix))
    for name in os.listdir(folder):
        staged = any(name == base + suffix + ".staged" for suffix in SUFFIXES)
        if staged or (name.startswith(f".{base}.") and name.endswith(".tmp")):
            try:
                os.remove(os.path.join(folder, name))
            except FileNotFoundError:
                pass


def read_states(prefix):
    """The ``.states`` of a checkpoint as a dict ({} if there is none), the training's own keys."""
    states = _read_states_file(prefix)
    states.pop(PARAMETER_NAMES, None)
    return states


def _read_states_file(prefix):
    path = prefix + ".states"
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        pass
    try:
        return dict(paddle.load(path))  # a reference-release pickle
    except Exception as e:  # neither JSON nor a pickle: say which file, not paddle's internals
        raise UserError(f"cannot read training states {path!r} ({type(e).__name__}): the file is damaged; "
                        "resume from another checkpoint, or use Global.pretrained_model to load the weights only") from None


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
        fitted[name] = _in_dtype(value, tensor.dtype)
    if missing:
        if not fitted:
            raise UserError(f"{file!r} holds none of the model's tensors (is it a checkpoint of another model?)")
        logger.warning("%d model tensors are not in %s, left as initialised: %s", len(missing), file, ", ".join(missing[:5]))
    model.set_state_dict(fitted)
    logger.info("loaded weights from %s", file)
    return prefix


def _in_dtype(value, dtype):
    """A saved floating tensor in the model's floating ``dtype``: the weights of a mixed-precision run
    (float16 or bfloat16) load into a float32 model (export), a float32 checkpoint into an O2 model
    (resume); Paddle refuses a tensor of another dtype."""
    tensor = value if isinstance(value, paddle.Tensor) else paddle.to_tensor(value)
    if tensor.dtype == dtype or not tensor.is_floating_point() or dtype not in FLOATS:
        return value
    return tensor.astype(dtype)


def load_checkpoint(prefix, model, optimizer=None, skip_mismatched=False):
    """Resume: weights, optimizer (with its learning-rate schedule) and the training states."""
    prefix = load_weights(model, prefix, skip_mismatched=skip_mismatched)
    states = _read_states_file(prefix)
    saved_names = states.pop(PARAMETER_NAMES, None)
    if optimizer is not None and os.path.exists(prefix + ".pdopt"):
        try:
            saved = paddle.load(prefix + ".pdopt")
        except Exception as e:
            raise UserError(f"cannot read optimizer state {prefix + '.pdopt'!r} ({type(e).__name__}): the file is "
                            "damaged; resume from another checkpoint, or delete it to restart the optimizer") from None
        saved = renamed_moments(saved, saved_names, [p.name for p in model.parameters()])
        _warn_unmatched_optimizer_state(saved, optimizer, prefix)
        optimizer.set_state_dict(saved)
    elif optimizer is not None:
        logger.warning("%s.pdopt not found: the optimizer starts afresh", prefix)
    return states


def renamed_moments(saved, saved_names, names):
    """The optimizer state ``saved`` with its parameter names (``saved_names``, in the model's
    order when saved) replaced by this model's ``names``: Paddle names parameters by a counter of
    the process (``linear_3.w_0``), so the same model built a second time in one process, or after
    other models, has other names, and its moments would otherwise restart from zero."""
    if not saved_names or list(saved_names) == list(names) or len(saved_names) != len(names):
        return saved
    mapping = dict(zip(saved_names, names))
    longest_first = sorted(mapping, key=len, reverse=True)
    out = {}
    for key, value in saved.items():
        old = next((name for name in longest_first if key.startswith(name + "_")), None)
        out[mapping[old] + key[len(old):] if old else key] = value
    return out


def _warn_unmatched_optimizer_state(saved, optimizer, prefix):
    """Paddle keys optimizer moments by parameter name (``linear_3.w_0_moment1_0``) and silently
    starts afresh the moments whose name it does not find: say so instead."""
    names = [p.name for p in getattr(optimizer, "_parameter_list", None) or []]
    keys = [k for k, v in saved.items() if k not in ("LR_Scheduler", "master_weights") and hasattr(v, "shape")]
    unmatched = [k for k in keys if not any(k.startswith(name + "_") for name in names)]
    if names and unmatched:
        logger.warning("%d of %d optimizer tensors in %s.pdopt belong to no parameter of this model (written by "
                       "another program, or the model changed): those moments restart from zero, e.g. %s",
                       len(unmatched), len(keys), prefix, ", ".join(unmatched[:3]))
