"""Atomic file writes: a temporary name in the same folder, flushed, fsynced, renamed."""
import os
import tempfile


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` so a reader sees the old file or the whole new one, never half."""
    def write(blob, tmp):
        with open(tmp, "wb") as f:
            f.write(blob)
    atomic_save(data, path, write)


def atomic_save(obj, path, save_fn):
    """Save ``obj`` with ``save_fn(obj, tmp_path)`` (e.g. ``paddle.save``) under a temporary name in
    the same folder, fsync it, then rename it to ``path``: a reader sees the old file or the whole new one."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        os.chmod(tmp, _default_mode())
        save_fn(obj, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _default_mode():
    """The mode ``open()`` would give a new file (0666 less the umask): mkstemp's 0600 would hide
    checkpoints from the rest of a team. The umask can only be read by setting it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_dir(folder):
    """fsync a folder, so a rename in it survives a power loss (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
