"""Word images in LMDB files, the MJSynth / deep-text-recognition-benchmark layout
(``ppocr.data.lmdb_format``: ``num-samples`` and, for i = 1..num-samples, an encoded image and a label).

Only ``num-samples`` of each LMDB is read at start, so 14 million samples index in milliseconds;
environments are opened lazily in the process that reads (each DataLoader worker opens its own).
"""
import logging
import os
import threading

import lmdb
import numpy as np

from ppocr.data import lmdb_format
from ppocr.data.base_dataset import RecDataSet, set_names
from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.registry import DATASETS

logger = logging.getLogger("ppocr")


def find_lmdbs(data_dir):
    """Every LMDB folder (one holding ``data.mdb``) under ``data_dir`` (a path or a list), sorted.

    A leaf folder without ``data.mdb`` is reported and left out.
    """
    roots = [data_dir] if isinstance(data_dir, (str, os.PathLike)) else list(data_dir or [])
    if not roots:
        raise UserError("LMDBDataSet needs dataset.data_dir: a folder (or list of folders) holding LMDBs")
    found = []
    for root in roots:
        if not os.path.isdir(root):
            raise UserError(f"LMDBDataSet: data_dir {root!r} is not a folder; check the path in dataset.data_dir")
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            dirnames.sort()  # a stable order of LMDBs gives stable sample indices
            if lmdb_format.DATA_FILE in filenames:
                found.append(dirpath)
                dirnames.clear()  # an LMDB folder's own sub-folders are not part of the set
            elif not dirnames:
                logger.warning("LMDBDataSet: skipping %s: not an LMDB (no data.mdb)", dirpath)
    return found


class EnvCache:
    """Read-only LMDB environments of this process, keyed by real path.

    py-lmdb refuses to open an environment twice in one process, and a forked child inherits
    the parent's list of open ones; so every dataset of a process (Train and Eval may read the
    same files) shares one handle per LMDB, and a forked worker closes its inherited copies
    (unusable after fork) before opening its own.
    """

    def __init__(self):
        self.pid = os.getpid()
        self.envs = {}
        self.lock = threading.Lock()  # paddle's single-process loader reads in a thread

    def get(self, path):
        if self.pid != os.getpid():
            self._forget_parent()
        with self.lock:
            key = os.path.realpath(path)
            env = self.envs.get(key)
            if env is None:
                env = self.envs[key] = lmdb_format.open_reader(key)
            return env

    def _forget_parent(self):
        # right after fork only this thread runs: the inherited lock may be held by a thread that is gone
        for env in self.envs.values():
            env.close()  # only this process's mapping and descriptors; the parent keeps its own
        self.pid, self.envs, self.lock = os.getpid(), {}, threading.Lock()

    def is_open(self, path):
        return self.pid == os.getpid() and os.path.realpath(path) in self.envs


# One per process by necessity (see EnvCache); it opens nothing until a sample is read.
ENVS = EnvCache()


def read_num_samples(path):
    """``num-samples`` of the LMDB at ``path``, or None (with a warning) if it is not readable.

    Opened only for this look-up unless this process already reads it: nothing stays open
    in the process that will fork the DataLoader workers.
    """
    try:
        shared = ENVS.is_open(path)
        env = ENVS.get(path) if shared else lmdb_format.open_reader(path, max_readers=4)
    except lmdb.Error as e:
        logger.warning("LMDBDataSet: skipping %s: cannot open it as an LMDB (%s)", path, e)
        return None
    try:
        with env.begin(write=False) as txn:
            return lmdb_format.read_count(txn)
    except ValueError as e:
        logger.warning("LMDBDataSet: skipping %s: %s", path, e)
        return None
    finally:
        if not shared:
            env.close()


def sampling_ratios(ratio_list, n_roots):
    """One sampling ratio per ``data_dir`` entry: a number applies to all, a list gives one each."""
    ratios = [ratio_list] * n_roots if isinstance(ratio_list, (int, float)) else list(ratio_list)
    if len(ratios) != n_roots:
        raise UserError(f"LMDBDataSet: ratio_list has {len(ratios)} values for {n_roots} data_dir entries; give one "
                        "ratio per entry of a data_dir list (or one number for all)")
    for r in ratios:
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not r > 0:
            raise UserError(f"LMDBDataSet: each ratio_list value must be a number above 0, got {r!r} "
                            "(0.5: half of that entry's samples per epoch, 3: each sample three times)")
    return [float(r) for r in ratios]


class RatioIndex:
    """Maps the index of a sample of the epoch to a stored sample when ``data_dir`` entries are
    sampled at ratios: entry i (n_i stored samples from ``start_i``) gives round(n_i * r_i)
    samples of the epoch, its k-th being stored sample ``(a_i * k + b_i) mod n_i`` with a_i
    prime to n_i: each stored sample once per n_i, in a fixed scrambled order, so a ratio below 1
    keeps a fixed random part and one above 1 repeats every sample. No per-sample table: 14
    million samples at any ratio cost a few numbers."""

    def __init__(self, counts, ratios, seed):
        counts = np.asarray(counts, dtype=np.int64)
        self.sizes = np.maximum(np.round(counts * np.asarray(ratios)).astype(np.int64), (counts > 0).astype(np.int64))
        self.sizes[counts == 0] = 0
        self.ends = np.cumsum(self.sizes)
        self.counts, self.starts = counts, np.cumsum(counts) - counts
        rng = np.random.default_rng([int(seed), 0x5A7])
        self.a = np.ones(len(counts), dtype=np.int64)
        self.b = np.zeros(len(counts), dtype=np.int64)
        for i, n in enumerate(counts):
            if n > 1:
                a = int(rng.integers(1, n))
                while np.gcd(a, n) != 1:
                    a = a % (n - 1) + 1
                self.a[i], self.b[i] = a, int(rng.integers(0, n))

    def __len__(self):
        return int(self.ends[-1])

    def __call__(self, idx):
        i = int(np.searchsorted(self.ends, idx, side="right"))
        k = idx - int(self.ends[i] - self.sizes[i])
        n = int(self.counts[i])
        return int(self.starts[i]) + (int(self.a[i]) * (k % n) + int(self.b[i])) % n


@DATASETS.register()
class LMDBDataSet(RecDataSet):
    """Samples of every LMDB under ``dataset.data_dir``, in sorted folder order. With
    ``ratio_list`` (one number per ``data_dir`` entry, or one for all) each entry gives that
    fraction or multiple of its samples per epoch: real crops repeated beside millions of
    synthetic ones, or a tenth of a large set.

    Example::

        ds = LMDBDataSet(config, "Train", charset)
        ds[0]   # {'image': float32 (3, 32, 100), 'label': ..., 'length': ..., 'text': 'hello', 'valid': True}
        # Train.dataset: {data_dir: [train_data/synth, train_data/real], ratio_list: [1.0, 20]}
    """

    options = ("data_dir", "transforms", "ratio_list", "ext_op_transform_idx")

    def __init__(self, config, mode, charset, seed=0):
        super().__init__(config, mode, charset, seed=seed)
        data_dir = self.dataset_config.get("data_dir")
        ratio_list = self.dataset_config.get("ratio_list")
        roots = [data_dir] if ratio_list is None or isinstance(data_dir, (str, os.PathLike)) else list(data_dir)
        ratios = sampling_ratios(1.0 if ratio_list is None else ratio_list, len(roots))
        paths, counts, root_counts = [], [], []
        for root in roots:
            before = sum(counts)
            for path in find_lmdbs(root):
                n = read_num_samples(path)
                if n is not None:
                    paths.append(path)
                    counts.append(n)
            root_counts.append(sum(counts) - before)
        if not paths:
            raise UserError(f"LMDBDataSet: no LMDB (a folder with data.mdb and num-samples) under {data_dir!r}")
        self.paths = paths
        # sample idx belongs to LMDB k where ends[k-1] <= idx < ends[k]: two small arrays, no per-sample index
        self.ends = np.cumsum(np.asarray(counts, dtype=np.int64))
        self.starts = self.ends - np.asarray(counts, dtype=np.int64)
        self.ratio_index = None if all(r == 1.0 for r in ratios) else RatioIndex(root_counts, ratios, self.seed)
        logger.info("%s: %d samples in %d LMDBs under %s", mode, int(self.ends[-1]), len(paths), data_dir)
        if self.ratio_index is not None:
            for root, n, r, m in zip(roots, root_counts, ratios, self.ratio_index.sizes):
                logger.info("%s: %s: %d samples, ratio %g: %d per epoch", mode, root, n, r, int(m))

    @classmethod
    def list_sets(cls, dataset_config):
        """One set per entry of a ``data_dir`` list; for one folder, the folder itself if it is an
        LMDB, else each sub-folder holding an LMDB (pooled within), named by its folder."""
        data_dir = dataset_config.get("data_dir")
        if isinstance(data_dir, (list, tuple)):
            roots = [str(d) for d in data_dir]
        elif data_dir and os.path.isdir(data_dir) and not lmdb_format.is_lmdb(data_dir):
            subs = sorted(e.path for e in os.scandir(data_dir) if e.is_dir())
            roots = [p for p in subs if find_lmdbs(p)] or [data_dir]  # none: building it reports the error
        else:
            roots = [data_dir]
        return [(name, dict(dataset_config, data_dir=root)) for name, root in zip(set_names(roots), roots)]

    def __len__(self):
        return int(self.ends[-1]) if self.ratio_index is None else len(self.ratio_index)

    def locate(self, idx):
        """(LMDB number, 1-based key number) of sample ``idx`` of the epoch."""
        if not 0 <= idx < len(self):
            raise IndexError(f"sample {idx} out of range 0..{len(self) - 1}")
        if self.ratio_index is not None:
            idx = self.ratio_index(idx)
        k = int(np.searchsorted(self.ends, idx, side="right"))
        return k, int(idx - self.starts[k]) + 1

    def read_sample(self, idx, sample):
        k, key = self.locate(idx)
        with ENVS.get(self.paths[k]).begin(write=False) as txn:
            label, sample["image"] = lmdb_format.read_raw(txn, key)  # an image of None: DecodeImage skips it
            if self.needs_meta:
                sample["meta"] = _meta_or_none(txn, key)
        where = f"{self.paths[k]} {lmdb_format.label_key(key).decode()}"
        if label is None:
            raise SkipSample("missing label", where)
        try:
            sample["label"] = label.decode("utf-8")
        except UnicodeDecodeError:
            raise SkipSample("label is not UTF-8", where) from None


def _meta_or_none(txn, key):
    """Sample ``key``'s metadata; None when it has none or it is not a JSON mapping (the sample is
    then trained on without what the metadata would have added)."""
    try:
        meta = lmdb_format.read_meta(txn, key)
    except ValueError:  # not JSON (json.JSONDecodeError), or not UTF-8
        return None
    return meta if isinstance(meta, dict) else None
